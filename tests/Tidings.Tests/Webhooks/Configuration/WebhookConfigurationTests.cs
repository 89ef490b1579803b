using System.Net;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>Webhook configuration through the REST API: Copernica's calls and shapes, Tidings' extension keys, bad input and isolation.</summary>
public sealed class WebhookConfigurationTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_webhook_created_as_Copernica_documents_reads_back_in_Copernicas_shape()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Customers");
        var response = await client.PostJsonAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "create", callers = new[] { "ms", "publisher" }, database = db });
        ((int)response.StatusCode).ShouldBe(201, await response.Content.ReadAsStringAsync(Ct));
        var id = response.Headers.GetValues("X-Created").Single();
        response.Headers.GetValues("X-location").Single().ShouldEndWith($"/v3/webhook/{id}");

        var hook = await client.GetJsonAsync($"/v3/webhook/{id}");
        hook["ID"]!.GetValue<string>().ShouldBe(id);
        hook["handler"]!.GetValue<string>().ShouldBe("https://hooks.example.com/in");
        hook["trigger"]!.GetValue<string>().ShouldBe("create");
        hook["callers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["ms", "publisher"]);
        hook["database"]!.GetValue<string>().ShouldBe(db.ToString(System.Globalization.CultureInfo.InvariantCulture));
        hook["collection"].ShouldBeNull();
        hook["triggers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["create"]);
        hook["format"]!.GetValue<string>().ShouldBe("form");
        hook["signing"]!.GetValue<string>().ShouldBe("copernica");
        hook["enabled"]!.GetValue<bool>().ShouldBeTrue();
        hook["max_concurrency"]!.GetValue<long>().ShouldBe(4);
        hook["batch_max_events"]!.GetValue<long>().ShouldBe(1);
        var keys = hook.AsObject().Select(p => p.Key).Take(4).ToList();
        keys.ShouldBe(["ID", "handler", "trigger", "callers"]);
    }

    [Fact]
    public async Task Callers_default_to_both_when_left_out()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new { handler = "https://x.example.com/", trigger = "open" });
        var hook = await client.GetJsonAsync($"/v3/webhook/{id}");
        hook["callers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["ms", "publisher"]);
    }

    [Fact]
    public async Task Several_triggers_and_the_extension_keys_are_stored()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new
        {
            handler = "http://hooks.example.com/a", triggers = new[] { "click", "OPEN", "unsubscribe" }, format = "json", signing = "both",
            max_concurrency = 2, max_per_second = 10, batch_max_events = 100, batch_max_ms = 500, enabled = false,
        });
        var hook = await client.GetJsonAsync($"/v3/webhook/{id}");
        hook["trigger"]!.GetValue<string>().ShouldBe("click");
        hook["triggers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["click", "open", "unsubscribe"]);
        hook["format"]!.GetValue<string>().ShouldBe("json");
        hook["signing"]!.GetValue<string>().ShouldBe("both");
        hook["max_concurrency"]!.GetValue<long>().ShouldBe(2);
        hook["max_per_second"]!.GetValue<long>().ShouldBe(10);
        hook["batch_max_events"]!.GetValue<long>().ShouldBe(100);
        hook["batch_max_ms"]!.GetValue<long>().ShouldBe(500);
        hook["enabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task A_form_encoded_body_with_bracketed_callers_is_accepted()
    {
        var client = await app.NewAccountAsync();
        var response = await client.SendAsync(HttpMethod.Post, "/v3/webhooks",
            "handler=https%3A%2F%2Fh.example.com%2F&trigger=bounce&callers[]=ms", "application/x-www-form-urlencoded");
        ((int)response.StatusCode).ShouldBe(201);
        var hook = await client.GetJsonAsync($"/v3/webhook/{response.Headers.GetValues("X-Created").Single()}");
        hook["trigger"]!.GetValue<string>().ShouldBe("bounce");
        hook["callers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["ms"]);
    }

    [Fact]
    public async Task Put_changes_only_the_keys_it_carries()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "create", format = "json" });
        var response = await client.PutJsonAsync($"/v3/webhook/{id}", new { handler = "https://b.example.com/x", trigger = "update" });
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var hook = await client.GetJsonAsync($"/v3/webhook/{id}");
        hook["handler"]!.GetValue<string>().ShouldBe("https://b.example.com/x");
        hook["triggers"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["update"]);
        hook["format"]!.GetValue<string>().ShouldBe("json");
    }

    [Fact]
    public async Task Delete_removes_the_webhook_and_says_so()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "delete" });
        var response = await client.DeleteAsync($"/v3/webhook/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("X-deleted").Single().ShouldBe($"webhook {id}");
        await (await client.GetAsync($"/v3/webhook/{id}")).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
    }

    [Fact]
    public async Task Get_webhooks_lists_the_accounts_webhooks_paged()
    {
        var client = await app.NewAccountAsync();
        for (var i = 0; i < 3; i++) await client.CreateAsync("/v3/webhooks", new { handler = $"https://h{i}.example.com/", trigger = "click" });
        var page = await client.GetJsonAsync("/v3/webhooks?limit=2");
        page["count"]!.GetValue<long>().ShouldBe(2);
        page["total"]!.GetValue<long>().ShouldBe(3);
        page["data"]!.AsArray()[0]!["handler"]!.GetValue<string>().ShouldBe("https://h0.example.com/");
        var rest = await client.GetJsonAsync("/v3/webhooks?start=2");
        rest["data"]!.AsArray().Single()!["handler"]!.GetValue<string>().ShouldBe("https://h2.example.com/");
    }

    [Fact]
    public async Task Webhooks_are_listed_from_their_database_and_collection()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var other = await client.CreateDatabaseAsync("Other");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var onDb = await client.CreateAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "create", database = db });
        var onCollection = await client.CreateAsync("/v3/webhooks", new { handler = "https://b.example.com/", trigger = "update", collection });
        await client.CreateAsync("/v3/webhooks", new { handler = "https://c.example.com/", trigger = "update", database = other });

        var ofDb = await client.GetJsonAsync($"/v3/database/{db}/webhooks");
        ofDb["data"]!.AsArray().Select(h => long.Parse(h!["ID"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ShouldBe([onDb, onCollection]);
        var ofCollection = await client.GetJsonAsync($"/v3/collection/{collection}/webhooks");
        var only = ofCollection["data"]!.AsArray().Single()!;
        only["ID"]!.GetValue<string>().ShouldBe(onCollection.ToString(System.Globalization.CultureInfo.InvariantCulture));
        only["database"]!.GetValue<string>().ShouldBe(db.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example.com/")]
    [InlineData("https://user:pw@example.com/")]
    public async Task A_handler_that_is_not_an_absolute_http_url_is_refused(string handler)
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler, trigger = "create" })).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync("/v3/webhooks"))["total"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_trigger_is_refused_with_the_known_ones_named()
    {
        var client = await app.NewAccountAsync();
        var response = await client.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "explode" });
        var text = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(400);
        text.ShouldContain("Unknown trigger 'explode'");
        text.ShouldContain("unsubscribe");
    }

    [Fact]
    public async Task A_missing_trigger_an_unknown_caller_format_or_signing_and_an_out_of_range_limit_are_refused()
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/" })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "open", callers = new[] { "soap" } })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "open", format = "xml" })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "open", signing = "rot13" })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "open", max_concurrency = 0 })).ShouldBeCopernicaErrorAsync();
    }

    [Fact]
    public async Task Another_accounts_database_or_collection_cannot_be_linked()
    {
        var owner = await app.NewAccountAsync("Owner");
        var db = await owner.CreateDatabaseAsync("Theirs");
        var collection = await owner.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var attacker = await app.NewAccountAsync("Attacker");
        await (await attacker.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "create", database = db })).ShouldBeCopernicaErrorAsync("No database with supplied ID");
        await (await attacker.PostJsonAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "create", collection })).ShouldBeCopernicaErrorAsync("No collection with given ID");
        await (await attacker.GetAsync($"/v3/database/{db}/webhooks")).ShouldBeCopernicaErrorAsync("No database with supplied ID");
    }

    [Fact]
    public async Task Another_accounts_webhook_is_invisible_and_untouchable()
    {
        var owner = await app.NewAccountAsync("Owner");
        var id = await owner.CreateAsync("/v3/webhooks", new { handler = "https://a.example.com/", trigger = "create" });
        var attacker = await app.NewAccountAsync("Attacker");
        await (await attacker.GetAsync($"/v3/webhook/{id}")).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
        await (await attacker.PutJsonAsync($"/v3/webhook/{id}", new { handler = "https://evil.example.net/" })).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
        await (await attacker.DeleteAsync($"/v3/webhook/{id}")).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
        (await attacker.GetJsonAsync("/v3/webhooks"))["total"]!.GetValue<long>().ShouldBe(0);
        (await owner.GetJsonAsync($"/v3/webhook/{id}"))["handler"]!.GetValue<string>().ShouldBe("https://a.example.com/");
    }

    [Fact]
    public async Task A_webhook_under_no_validated_domain_says_it_is_not_validated_and_why()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.unvalidated.example/in", trigger = "open" });
        var hook = await client.GetJsonAsync($"/v3/webhook/{id}");
        hook["validated"]!.GetValue<bool>().ShouldBeFalse();
        hook["validation_error"]!.GetValue<string>().ShouldContain("hooks.unvalidated.example");
        hook["validation_error"]!.GetValue<string>().ShouldContain("nothing is sent");
    }

    [Fact]
    public async Task The_unversioned_path_works_as_Copernicas_clients_call_it()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/webhooks", new { handler = "https://a.example.com/", trigger = "click" });
        (await client.GetJsonAsync($"/webhook/{id}"))["trigger"]!.GetValue<string>().ShouldBe("click");
    }
}
