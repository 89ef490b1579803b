using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 points 5–6: POST → 201 + X-Created + X-location, PUT → 204 (201 when it creates), DELETE → 204 + X-deleted.</summary>
public sealed class WriteResponseTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Post_profile_returns_201_with_x_created_x_location_and_an_empty_body()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var response = await client.PostJsonAsync($"/v3/database/{db}/profiles", new { fields = new { email = "a@b.nl" } });
        await response.ShouldHaveStatusAsync(201);
        var id = response.Header("X-Created");
        id.ShouldNotBeNull();
        id.ShouldMatch("^[0-9]+$");
        response.Header("X-location").ShouldBe($"http://localhost/v3/profile/{id}");
        (await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length.ShouldBe(0);
    }

    [Theory]
    [InlineData("databases", "database")]
    [InlineData("database/{db}/interests", "interest")]
    [InlineData("database/{db}/collections", "collection")]
    public async Task Every_create_endpoint_answers_201_with_x_created_pointing_at_the_new_entity(string path, string entity)
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var response = await client.PostJsonAsync("/v3/" + path.Replace("{db}", db.S(), StringComparison.Ordinal), new { name = "Thing" });
        await response.ShouldHaveStatusAsync(201);
        var id = response.Header("X-Created")!;
        response.Header("X-location").ShouldBe($"http://localhost/v3/{entity}/{id}");
    }

    [Fact]
    public async Task Put_profile_returns_204_without_body_or_x_created()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl" });
        var response = await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { email = "c@d.nl" } });
        await response.ShouldHaveStatusAsync(204);
        response.Header("X-Created").ShouldBeNull();
        (await client.GetJsonAsync($"/v3/profile/{pid}"))!["fields"].Str("email").ShouldBe("c@d.nl");
    }

    [Fact]
    public async Task Put_database_profiles_with_create_returns_201_and_x_created_when_nothing_matches()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var response = await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=email%3D%3Dnew@b.nl&create=1", new { fields = new { email = "new@b.nl" } });
        await response.ShouldHaveStatusAsync(201);
        var id = response.Header("X-Created")!;
        response.Header("X-location").ShouldBe($"http://localhost/v3/profile/{id}");
        (await client.GetJsonAsync($"/v3/profile/{id}"))!["fields"].Str("email").ShouldBe("new@b.nl");

        var again = await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=email%3D%3Dnew@b.nl&create=1", new { fields = new { email = "new@b.nl" } });
        await again.ShouldHaveStatusAsync(204);
        again.Header("X-Created").ShouldBeNull();
    }

    [Fact]
    public async Task Delete_profile_returns_204_with_x_deleted_naming_the_profile()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var pid = await client.CreateProfileAsync(db, new { });
        var response = await client.DeleteAsync($"/v3/profile/{pid}");
        await response.ShouldHaveStatusAsync(204);
        response.Header("X-deleted").ShouldBe($"profile {pid}");
    }

    [Fact]
    public async Task Delete_subprofile_interest_and_field_return_x_deleted()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "age", type = "integer" });
        var interest = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var pid = await client.CreateProfileAsync(db, new { });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { });

        var deleted = await client.DeleteAsync($"/v3/subprofile/{sid}");
        await deleted.ShouldHaveStatusAsync(204);
        deleted.Header("X-deleted").ShouldBe($"subprofile {sid}");
        deleted = await client.DeleteAsync($"/v3/interest/{interest}");
        await deleted.ShouldHaveStatusAsync(204);
        deleted.Header("X-deleted").ShouldBe($"interest {interest}");
        deleted = await client.DeleteAsync($"/v3/database/{db}/field/{field}");
        await deleted.ShouldHaveStatusAsync(204);
        deleted.Header("X-deleted").ShouldBe($"field {field}");
    }

    [Fact]
    public async Task Post_on_a_put_only_path_is_treated_as_put()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var response = await client.PostJsonAsync($"/v3/database/{db}", new { description = "via POST" });
        await response.ShouldHaveStatusAsync(204);
        response.Header("X-Created").ShouldBeNull();
        (await client.GetJsonAsync($"/v3/database/{db}")).Str("description").ShouldBe("via POST");
    }
}
