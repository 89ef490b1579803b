using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 point 4: HTTP 400 with <c>{"error":{"message":…}}</c> and Copernica's exact texts (§1.5).</summary>
public sealed class ErrorMessageTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Theory]
    [InlineData("/v3/database/987654321", "No database with supplied ID")]
    [InlineData("/v3/database/NoSuchName/profiles", "No database with supplied ID")]
    [InlineData("/v3/profile/987654321", "No entity with supplied ID")]
    [InlineData("/v3/profile/abc/fields", "No entity with supplied ID")]
    [InlineData("/v3/subprofile/987654321", "No subprofile with supplied ID")]
    [InlineData("/v3/collection/987654321", "No collection with given ID")]
    [InlineData("/v3/collection/987654321/subprofiles", "No collection with given ID")]
    [InlineData("/v3/database", "Invalid request, element 1 is missing in 'directory' path")]
    [InlineData("/v3/profile", "Invalid request, element 1 is missing in 'directory' path")]
    [InlineData("/v3/identity/whatever/else", "Invalid method")]
    public async Task Unknown_ids_and_paths_get_copernicas_exact_message(string path, string message)
    {
        var client = await app.NewAccountAsync();
        await (await client.GetAsync(path)).ShouldBeCopernicaErrorAsync(message);
    }

    [Fact]
    public async Task Error_body_has_exactly_one_key_error_holding_exactly_one_key_message()
    {
        var client = await app.NewAccountAsync();
        var (status, body) = await client.GetTextAsync("/v3/database/987654321");
        status.ShouldBe(400);
        body.ShouldBe("{\"error\":{\"message\":\"No database with supplied ID\"}}");
    }

    [Fact]
    public async Task Post_profile_with_non_object_fields_is_invalid_data_provided()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", "{\"fields\":\"email=a@b.nl\"}");
        await response.ShouldBeCopernicaErrorAsync("Invalid data provided");
        (await client.GetJsonAsync($"/v3/database/{db}/profileids"))!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Put_without_fields_parameter_is_refused_with_copernicas_message()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl" });
        var response = await client.SendAsync(HttpMethod.Put, $"/v3/database/{db}/profiles?create=1", "{\"fields\":{\"email\":\"x@y.nl\"}}");
        await response.ShouldBeCopernicaErrorAsync("URL parameter fields is required");
        (await client.GetJsonAsync($"/v3/profile/{pid}"))!["fields"].Str("email").ShouldBe("a@b.nl");
    }

    [Theory]
    [InlineData("{\"fields\":true}", "Invalid data provided")]
    [InlineData("{\"fields\":\"email=x@y.nl\"}", "Invalid data provided")]
    [InlineData("{\"fields\":", null)]
    public async Task Bulk_put_checks_the_body_before_the_fields_parameter(string body, string? message)
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var response = await client.SendAsync(HttpMethod.Put, $"/v3/database/{db}/profiles/bogus?create=1", body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        await response.ShouldBeCopernicaErrorAsync(message);
        text.ShouldNotContain("URL parameter fields is required");
        (await client.GetJsonAsync($"/v3/database/{db}/profileids"))!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Deleting_a_removed_profile_again_says_it_has_already_been_removed()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl" });
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldBeCopernicaErrorAsync("This profile has already been removed");
    }

    [Fact]
    public async Task Deleting_a_removed_subprofile_again_says_it_has_already_been_removed()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var pid = await client.CreateProfileAsync(db, new { });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { });
        await (await client.DeleteAsync($"/v3/subprofile/{sid}")).ShouldHaveStatusAsync(204);
        await (await client.DeleteAsync($"/v3/subprofile/{sid}")).ShouldBeCopernicaErrorAsync("This subprofile has already been removed");
    }

    [Fact]
    public async Task Creating_a_subprofile_in_an_unknown_collection_says_it_could_not_be_created()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var pid = await client.CreateProfileAsync(db, new { });
        await (await client.PostJsonAsync($"/v3/profile/{pid}/subprofiles/987654321", new { })).ShouldBeCopernicaErrorAsync("Subprofile could not be created");
        await (await client.PostJsonAsync($"/v3/profile/{pid}/subprofiles/Nope", new { })).ShouldBeCopernicaErrorAsync("Subprofile could not be created");
    }

    [Fact]
    public async Task Profile_id_is_validated_before_the_method()
    {
        var client = await app.NewAccountAsync();
        await (await client.SendAsync(HttpMethod.Put, "/v3/profile/987654321/fields", "{}")).ShouldBeCopernicaErrorAsync("No entity with supplied ID");
        await (await client.DeleteAsync("/v3/profile/987654321")).ShouldBeCopernicaErrorAsync("No entity with supplied ID");
    }
}
