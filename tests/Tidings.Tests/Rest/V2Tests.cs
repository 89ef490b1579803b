using Microsoft.AspNetCore.Mvc.Testing;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>
/// What Copernica's v2 did differently (observed by rmuit/copernica-api, whose client depends on it): PUT answers
/// 303 See Other with a Location, DELETE leaves <c>modified</c> alone; field values are normalised as in v3.
/// </summary>
public sealed class V2Tests(TidingsApp app) : IClassFixture<TidingsApp>
{
    /// <summary>An account whose client does not follow redirects, so the 303 itself can be seen.</summary>
    private async Task<(ApiClient Client, long Db, long Pid)> SeedAsync()
    {
        var account = await app.NewAccountAsync();
        var client = new ApiClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), account.Token, account.AccountId);
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"), ("age", "integer"));
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl", name = "Ann", age = 20 });
        return (client, db, pid);
    }

    private static async Task ShouldBeSeeOtherAsync(HttpResponseMessage response, string location)
    {
        await response.ShouldHaveStatusAsync(303);
        response.Headers.Location!.ToString().ShouldBe(location);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Put_answers_see_other_with_the_same_url_without_version_prefix_and_its_query()
    {
        var (client, db, pid) = await SeedAsync();
        var response = await client.SendAsync(HttpMethod.Put, $"/v2/profile/{pid}?extra=1", "{\"fields\":{\"name\":\"Bob\"}}");
        await ShouldBeSeeOtherAsync(response, $"http://localhost/profile/{pid}?extra=1&access_token={client.Token}");
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).Str("name").ShouldBe("Bob");

        response = await client.SendAsync(HttpMethod.Put, $"/v2/database/{db}/profiles?fields[]=name==Bob", "{\"fields\":{\"age\":\"30\"}}");
        await ShouldBeSeeOtherAsync(response, $"http://localhost/database/{db}/profiles?fields[]=name==Bob&access_token={client.Token}");
        response.Header("X-Created").ShouldBeNull();
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).Str("age").ShouldBe("30");
    }

    [Fact]
    public async Task Put_that_creates_points_location_at_the_new_entity_and_sends_x_created()
    {
        var (client, db, _) = await SeedAsync();
        var response = await client.SendAsync(HttpMethod.Put, $"/v2/database/{db}/profiles?fields[]=email==new@b.nl&create=1", "{\"fields\":{\"email\":\"new@b.nl\"}}");
        var created = response.Header("X-Created");
        created.ShouldNotBeNull();
        await ShouldBeSeeOtherAsync(response, $"http://localhost/profile/{created}");
        (await client.GetJsonAsync($"/v3/profile/{created}/fields")).Str("email").ShouldBe("new@b.nl");
    }

    [Fact]
    public async Task Put_under_v3_and_unversioned_still_answers_204_and_a_failed_v2_put_is_the_usual_error()
    {
        var (client, db, pid) = await SeedAsync();
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { name = "X" } })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/profile/{pid}", new { fields = new { name = "Y" } })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/v1/profile/{pid}", new { fields = new { name = "Z" } })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync("/v2/profile/987654321", new { fields = new { name = "Q" } })).ShouldBeCopernicaErrorAsync("No entity with supplied ID");
        await (await client.PutJsonAsync($"/v2/database/{db}/profiles", new { fields = new { name = "Q" } })).ShouldBeCopernicaErrorAsync("URL parameter fields is required");
    }

    [Fact]
    public async Task Post_under_v2_still_answers_201_with_x_created()
    {
        var (client, db, _) = await SeedAsync();
        var response = await client.PostJsonAsync($"/v2/database/{db}/profiles", new { fields = new { name = "C" } });
        await response.ShouldHaveStatusAsync(201);
        response.Header("X-Created").ShouldNotBeNull();
    }

    [Fact]
    public async Task Delete_under_v2_leaves_modified_of_the_profile_and_its_subprofiles_alone()
    {
        var (client, db, pid) = await SeedAsync();
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { });
        var lone = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { });
        var profileModified = await StoredModifiedAsync($"database_{db}_profiles", pid);
        var subprofileModified = await StoredModifiedAsync($"collection_{collection}_subprofiles", sid);
        await ClockPastAsync(Math.Max(profileModified, subprofileModified));

        await (await client.DeleteAsync($"/v2/subprofile/{lone}")).ShouldHaveStatusAsync(204);
        await (await client.DeleteAsync($"/v2/profile/{pid}")).ShouldHaveStatusAsync(204);

        (await client.GetJsonAsync($"/v3/profile/{pid}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        (await StoredModifiedAsync($"database_{db}_profiles", pid)).ShouldBe(profileModified);
        (await StoredModifiedAsync($"collection_{collection}_subprofiles", sid)).ShouldBe(subprofileModified);
        (await StoredModifiedAsync($"collection_{collection}_subprofiles", lone)).ShouldBe(await StoredCreatedAsync($"collection_{collection}_subprofiles", lone));
    }

    [Fact]
    public async Task Delete_under_v3_sets_modified_to_the_removal()
    {
        var (client, db, pid) = await SeedAsync();
        var before = await StoredModifiedAsync($"database_{db}_profiles", pid);
        await ClockPastAsync(before);
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);
        (await StoredModifiedAsync($"database_{db}_profiles", pid)).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task Bulk_delete_under_v2_leaves_modified_alone()
    {
        var (client, db, pid) = await SeedAsync();
        var before = await StoredModifiedAsync($"database_{db}_profiles", pid);
        await ClockPastAsync(before);
        await (await client.SendAsync(HttpMethod.Delete, $"/v2/database/{db}/profiles", $"{{\"profiles\":[{pid}]}}")).ShouldHaveStatusAsync(204);
        (await StoredModifiedAsync($"database_{db}_profiles", pid)).ShouldBe(before);
    }

    [Theory]
    [InlineData("name", "\"  spaced  \"", "  spaced  ")]
    [InlineData("name", "12.50", "12.5")]
    [InlineData("name", "1e25", "1.0E+25")]
    [InlineData("name", "-1.5e-7", "-1.5E-7")]
    [InlineData("name", "0.1", "0.1")]
    [InlineData("name", "12345678901234567890", "1.2345678901235E+19")]
    [InlineData("name", "-0", "0")]
    [InlineData("name", "true", "1")]
    [InlineData("name", "{\"a\":1}", "")]
    [InlineData("email", "\" not an address \"", " not an address ")]
    [InlineData("age", "\" 42x\"", "42")]
    [InlineData("age", "\"true\"", "0")]
    [InlineData("age", "[1]", "1")]
    public async Task Field_values_put_under_v2_are_normalised_not_trimmed(string field, string json, string stored)
    {
        var (client, _, pid) = await SeedAsync();
        await (await client.SendAsync(HttpMethod.Put, $"/v2/profile/{pid}", $"{{\"fields\":{{\"{field}\":{json}}}}}")).ShouldHaveStatusAsync(303);
        (await client.GetJsonAsync($"/v2/profile/{pid}/fields")).Str(field).ShouldBe(stored);
        await (await client.SendAsync(HttpMethod.Put, $"/v2/profile/{pid}/fields", $"{{\"{field}\":{json}}}")).ShouldHaveStatusAsync(303);
        (await client.GetJsonAsync($"/v2/profile/{pid}/fields")).Str(field).ShouldBe(stored);
    }

    private Task<long> StoredModifiedAsync(string table, long id) => app.ScalarAsync<long>($"SELECT modified FROM {table} WHERE id = @id", new { id });

    private Task<long> StoredCreatedAsync(string table, long id) => app.ScalarAsync<long>($"SELECT created FROM {table} WHERE id = @id", new { id });

    /// <summary>Waits (bounded) until the clock has passed a stored time, so a change of it could be seen.</summary>
    private static async Task ClockPastAsync(long unixMs)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= unixMs + 1)
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException("The clock did not move");
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
