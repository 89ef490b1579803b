using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 points 1–3: versioned and unversioned paths, access_token in the query, exact Content-Type.</summary>
public sealed class RoutingTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Theory]
    [InlineData("/v3/database/{0}")]
    [InlineData("/v2/database/{0}")]
    [InlineData("/database/{0}")]
    [InlineData("/v3/database/{0}/")]
    public async Task Database_is_served_under_v3_v2_and_unversioned_paths(string pattern)
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateDatabaseAsync("Shop");
        var json = await client.GetJsonAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, id));
        json.Str("ID").ShouldBe(id.S());
        json.Str("name").ShouldBe("Shop");
    }

    [Fact]
    public async Task Unversioned_and_v2_posts_create_like_v3()
    {
        var client = await app.NewAccountAsync();
        var first = await client.CreateAsync("/databases", new { name = "Unversioned" });
        var second = await client.CreateAsync("/v2/databases", new { name = "Two" });
        var list = await client.GetJsonAsync("/v3/databases");
        list.DataIds().ShouldBe([first.S(), second.S()]);
    }

    [Fact]
    public async Task Unknown_path_under_v3_is_copernicas_invalid_method()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await (await client.GetAsync("/v3/nonsense/1")).ShouldBeCopernicaErrorAsync("Invalid method");
        await (await client.GetAsync($"/database/{db}/nonsense")).ShouldBeCopernicaErrorAsync("Invalid method");
    }

    [Fact]
    public async Task Unsupported_method_on_known_path_is_invalid_method()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateDatabaseAsync("Shop");
        await (await client.DeleteAsync($"/v3/database/{id}")).ShouldBeCopernicaErrorAsync("Invalid method");
    }

    [Fact]
    public async Task Access_token_is_read_from_the_query_string()
    {
        var client = await app.NewAccountAsync("QueryToken");
        var response = await client.Http.GetAsync($"/v3/identity?access_token={client.Token}", TestContext.Current.CancellationToken);
        await response.ShouldHaveStatusAsync(200);
    }

    [Theory]
    [InlineData("/v3/databases")]
    [InlineData("/v2/databases?access_token=")]
    [InlineData("/databases?access_token=nope")]
    [InlineData("/v3/database/1/profiles?access_token=0000000000000000000000000000")]
    public async Task Missing_or_bad_token_gets_invalid_access_token(string url)
    {
        var client = await app.NewAccountAsync();
        var response = await client.Http.GetAsync(url, TestContext.Current.CancellationToken);
        await response.ShouldBeCopernicaErrorAsync("Invalid access token");
    }

    [Fact]
    public async Task Bad_token_on_a_write_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var response = await client.Http.PostAsync("/v3/databases?access_token=wrong", new StringContent("{\"name\":\"X\"}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        await response.ShouldBeCopernicaErrorAsync("Invalid access token");
        (await client.GetJsonAsync("/v3/databases"))!["total"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory]
    [InlineData("/v3/databases")]
    [InlineData("/v3/database/{0}")]
    [InlineData("/v3/database/{0}/profiles")]
    [InlineData("/v3/database/{0}/profileids")]
    [InlineData("/v3/database/{0}/fields")]
    [InlineData("/v3/database/{0}/unsubscribe")]
    [InlineData("/v3/database/999999999")]
    public async Task Json_responses_have_content_type_application_json_without_charset(string pattern)
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var response = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, id));
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
    }

    [Fact]
    public async Task Extra_path_parts_after_a_list_resource_are_ignored()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var pid = await client.CreateAsync($"/v3/database/{db}/profiles/extra/parts", new { fields = new { email = "a@b.nl" } });
        (await client.GetJsonAsync($"/v3/database/{db}/profiles/whatever")).DataIds().ShouldBe([pid.S()]);
        (await client.GetJsonAsync($"/database/{db}/fields/x")).DataIds().Count.ShouldBe(1);
        (await client.GetJsonAsync("/v2/databases/more")).DataIds().ShouldBe([db.S()]);
        await (await client.GetAsync($"/v3/database/{db}/nonsense/profiles")).ShouldBeCopernicaErrorAsync("Invalid method");
    }
}
