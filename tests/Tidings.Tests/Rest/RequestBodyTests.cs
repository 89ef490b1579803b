using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 point 10: JSON <c>[]</c> means empty, form-encoded bodies, and names instead of ids.</summary>
public sealed class RequestBodyTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public async Task Json_empty_array_body_creates_a_profile_with_defaults()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("age", "integer"), ("name", "text"));
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", "[]");
        await response.ShouldHaveStatusAsync(201);
        var profile = await client.GetJsonAsync($"/v3/profile/{response.Header("X-Created")}");
        profile!["fields"].Str("age").ShouldBe("0");
        profile["fields"].Str("name").ShouldBe("");
    }

    [Fact]
    public async Task Json_empty_array_body_on_put_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{pid}", "[]")).ShouldHaveStatusAsync(204);
        await (await client.SendAsync(HttpMethod.Put, $"/v3/database/{db}", "[]")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}"))!["fields"].Str("name").ShouldBe("Ann");
        (await client.GetJsonAsync($"/v3/database/{db}")).Str("name").ShouldBe("Shop");
        (await app.JournalAsync(client.AccountId)).Count(r => r.Type == "profile.update").ShouldBe(0);
    }

    [Fact]
    public async Task Form_encoded_body_with_php_brackets_creates_a_profile_with_fields_and_interests()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "tennis" });
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "chess" });
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles",
            "fields%5Bemail%5D=a%2Bb%40c.nl&fields[name]=Jan+de+Vries&interests[]=golf&interests[]=chess", Form);
        await response.ShouldHaveStatusAsync(201);
        var profile = await client.GetJsonAsync($"/v3/profile/{response.Header("X-Created")}");
        profile!["fields"].Str("email").ShouldBe("a+b@c.nl");
        profile["fields"].Str("name").ShouldBe("Jan de Vries");
        profile["interests"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe(["golf", "chess"]);
    }

    [Fact]
    public async Task Form_encoded_interest_map_sets_and_unsets()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "tennis" });
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf" });
        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{pid}", "interests[golf]=0&interests[tennis]=1", Form)).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}/interests"))!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe(["tennis"]);
    }

    [Fact]
    public async Task Form_encoded_database_create_reads_plain_keys()
    {
        var client = await app.NewAccountAsync();
        var response = await client.SendAsync(HttpMethod.Post, "/v3/databases", "name=Formed&description=from+a+form", Form);
        await response.ShouldHaveStatusAsync(201);
        (await client.GetJsonAsync($"/v3/database/{response.Header("X-Created")}")).Str("description").ShouldBe("from a form");
    }

    [Fact]
    public async Task Database_can_be_addressed_by_name_case_insensitively()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Newsletter", ("email", "email"));
        (await client.GetJsonAsync("/v3/database/newsLETTER")).Str("ID").ShouldBe(db.S());
        var pid = await client.CreateAsync("/v3/database/NEWSLETTER/profiles", new { fields = new { email = "a@b.nl" } });
        (await client.GetJsonAsync("/v3/database/newsletter/profiles")).DataIds().ShouldBe([pid.S()]);
        (await client.GetJsonAsync("/v3/database/Newsletter/fields"))!["count"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Collection_can_be_addressed_by_name_case_insensitively_under_a_profile()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        var pid = await client.CreateProfileAsync(db, new { });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/orders", new { sku = "X1" });
        var list = await client.GetJsonAsync($"/v3/profile/{pid}/subprofiles/ORDERS");
        list.DataIds().ShouldBe([sid.S()]);
        list!["data"]![0]!.Str("collection").ShouldBe(collection.S());
    }
}
