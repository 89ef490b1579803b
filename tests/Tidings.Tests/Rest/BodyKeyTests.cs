using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>
/// Keys of request bodies. Copernica's data calls read bodies as PHP does: unknown keys are ignored, field names are
/// case-insensitive and a key given twice keeps its last value. The webhook calls and Tidings' own calls refuse an
/// unknown, misspelt or doubled key with a 400 that names it. Text that is not valid Unicode is refused everywhere.
/// </summary>
public sealed class BodyKeyTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Handler = "https://hooks.example.com/in";

    private async Task<(ApiClient Client, long Db)> ShopAsync()
    {
        var client = await app.NewAccountAsync();
        return (client, await client.CreateDatabaseAsync("Shop", ("name", "text"), ("email", "email")));
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        await response.ShouldBeCopernicaErrorAsync();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["error"]!["message"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_profile_body_with_a_key_given_twice_takes_the_last_value_at_every_level()
    {
        var (client, db) = await ShopAsync();
        var created = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles",
            """{"fields":{"name":"A","email":"a@example.com"},"fields":{"name":"B","name":"C"}}""");
        await created.ShouldHaveStatusAsync(201);
        var id = created.Header("X-Created");
        (await client.GetJsonAsync($"/v3/profile/{id}/fields")).ToJsonString().ShouldBe("""{"name":"C","email":""}""");

        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{id}", """{"fields":{"name":"D"},"fields":{"name":"E","email":"e@example.com"}}""")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{id}/fields")).ToJsonString().ShouldBe("""{"name":"E","email":"e@example.com"}""");

        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{id}", "fields[name]=F&fields[name]=G", Form)).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{id}/fields")).Str("name").ShouldBe("G");
    }

    [Fact]
    public async Task Field_names_are_case_insensitive_and_the_last_spelling_wins()
    {
        var (client, db) = await ShopAsync();
        var id = await client.CreateAsync($"/v3/database/{db}/profiles", new Dictionary<string, object>
        {
            ["fields"] = new Dictionary<string, string> { ["Name"] = "A", ["NAME"] = "B", ["eMail"] = "b@example.com" },
        });
        (await client.GetJsonAsync($"/v3/profile/{id}/fields")).ToJsonString().ShouldBe("""{"name":"B","email":"b@example.com"}""");
    }

    [Fact]
    public async Task A_profile_post_ignores_unknown_fields_unknown_keys_and_secret()
    {
        var (client, db) = await ShopAsync();
        var created = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles",
            """{"fields":{"name":"A","nosuch":"x"},"secret":"chosen-by-the-client","bogus":[1,{"a":2}]}""");
        await created.ShouldHaveStatusAsync(201);
        var profile = await client.GetJsonAsync($"/v3/profile/{created.Header("X-Created")}");
        profile["fields"]!.ToJsonString().ShouldBe("""{"name":"A","email":""}""");
        profile.Str("secret").ShouldNotBe("chosen-by-the-client");
    }

    [Theory]
    [InlineData("""{"fields":{"name":"\ud800"}}""", "'fields.name'")]
    [InlineData("""{"fields":{"\udc00":"x"}}""", "'fields'")]
    [InlineData("""{"fields":{"name":"ok"},"interests":["a\ud800b"]}""", "'interests[0]'")]
    public async Task A_lone_surrogate_escape_is_refused_with_where_it_is_and_creates_nothing(string body, string where)
    {
        var (client, db) = await ShopAsync();
        var message = await ErrorAsync(await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", body));
        message.ShouldContain(where);
        message.ShouldContain("surrogate");
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"handler":"https://hooks.example.com/in","trigger":"open","signng":"none"}""", "'signng'")]
    [InlineData("""{"Handler":"https://hooks.example.com/in","trigger":"open"}""", "'Handler'")]
    [InlineData("""{"handler":"https://hooks.example.com/in","trigger":"open","trigger":"click"}""", "'trigger'")]
    [InlineData("""{"handler":"https://hooks.example.com/\ud800","trigger":"open"}""", "'handler'")]
    [InlineData("""[{"handler":"https://hooks.example.com/in","trigger":"open"}]""", "JSON object")]
    public async Task A_webhook_body_with_an_unknown_doubled_or_broken_key_is_refused_naming_it(string body, string named)
    {
        var client = await app.NewAccountAsync();
        (await ErrorAsync(await client.SendAsync(HttpMethod.Post, "/v3/webhooks", body))).ShouldContain(named);
        (await client.GetJsonAsync("/v3/webhooks"))["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task A_webhook_put_with_a_misspelt_key_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new { handler = Handler, trigger = "open" });
        (await ErrorAsync(await client.PutJsonAsync($"/v3/webhook/{id}", new { handler = "https://other.example.com/", formt = "json" }))).ShouldContain("'formt'");
        (await ErrorAsync(await client.SendAsync(HttpMethod.Put, $"/v3/webhook/{id}", "handler=https%3A%2F%2Fother.example.com%2F&format=json&format=form", Form))).ShouldContain("'format'");
        var webhook = await client.GetJsonAsync($"/v3/webhook/{id}");
        webhook.Str("handler").ShouldBe(Handler);
        webhook.Str("format").ShouldBe("form");
    }

    [Fact]
    public async Task Every_key_Copernica_documents_for_webhooks_is_accepted_as_json_and_as_a_form()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "orders" });
        var id = await client.CreateAsync("/v3/webhooks", new { handler = Handler, trigger = "create", callers = new[] { "ms" }, database = db, collection });
        await (await client.PutJsonAsync($"/v3/webhook/{id}", new { handler = Handler + "2", trigger = "update", callers = new[] { "publisher" } })).ShouldHaveStatusAsync(204);
        var form = await client.SendAsync(HttpMethod.Post, "/v3/webhooks",
            $"handler={Uri.EscapeDataString(Handler)}&trigger=open&callers[]=ms&callers[]=publisher&database={db}&collection={collection}", Form);
        await form.ShouldHaveStatusAsync(201);
        var webhook = await client.GetJsonAsync($"/v3/webhook/{form.Header("X-Created")}");
        webhook["callers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["ms", "publisher"]);
        webhook.Str("collection").ShouldBe(collection.S());
    }

    [Fact]
    public async Task Tidings_own_calls_refuse_unknown_and_doubled_keys_naming_them()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var profile = await client.CreateProfileAsync(db, new { email = "a@example.com" });
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = Handler, trigger = "open" });
        var domain = await client.CreateAsync("/v3/domains", new { domain = "example.com" });

        async Task RefusedAsync(string path, string body, string named) =>
            (await ErrorAsync(await client.SendAsync(HttpMethod.Post, path, body))).ShouldContain(named);

        await RefusedAsync("/v3/ms/emailing", $$"""{"target":"{{profile}}","targettype":"profile","template":1,"subjet":"Hi"}""", "'subjet'");
        await RefusedAsync("/v3/ms/emailing", $$$"""{"target":"{{{profile}}}","targettype":"profile","template":1,"from_address":{"nam":"Shop"}}""", "'from_address.nam'");
        await RefusedAsync("/v3/ms/emailing", $$"""{"target":"{{profile}}","target":"{{profile}}","targettype":"profile","template":1}""", "'target'");
        await RefusedAsync($"/v3/webhook/{webhook}/secrets/rotate", """{"knd":"ed25519"}""", "'knd'");
        await RefusedAsync($"/v3/webhook/{webhook}/secrets", """{"secret":"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","kind":"hmac"}""", "'kind'");
        await RefusedAsync($"/v3/webhook/{webhook}/replay", """{"form":"2026-01-01 00:00:00"}""", "'form'");
        await RefusedAsync($"/v3/webhook/{webhook}/replay", """{"failed":true,"failed":false}""", "'failed'");
        await RefusedAsync($"/v3/webhook/{webhook}/delivery/1/retry", """{"now":true}""", "'now'");
        await RefusedAsync($"/v3/webhook/{webhook}/test", """{"typ":"open"}""", "'typ'");
        await RefusedAsync("/v3/webhooks/check", """{"all":true}""", "'all'");
        await RefusedAsync("/v3/domains", """{"domian":"example.org"}""", "'domian'");
        await RefusedAsync($"/v3/domain/{domain}/validate", """{"methd":"dns"}""", "'methd'");

        (await client.GetJsonAsync("/v3/ms/emailings"))["total"]!.GetValue<int>().ShouldBe(0);
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/replays"))["total"]!.GetValue<int>().ShouldBe(0);
        (await client.GetJsonAsync("/v3/domains"))["total"]!.GetValue<int>().ShouldBe(1);
    }
}
