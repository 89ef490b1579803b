using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Domains;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>
/// Domain ownership: a TXT record asked from the configured name server (a test DNS server here), or the legacy
/// verification file served from the callback's folder or the site root (a test Kestrel server on 127.0.0.1).
/// </summary>
public sealed class DomainValidationTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(long Id, JsonNode Domain)> ClaimAsync(ApiClient client, string domain)
    {
        var id = await client.CreateAsync("/v3/domains", new { domain });
        return (id, await client.GetJsonAsync($"/v3/domain/{id}"));
    }

    [Fact]
    public async Task A_claimed_domain_shows_the_TXT_record_and_the_file_to_publish()
    {
        var client = await app.NewAccountAsync();
        var (id, domain) = await ClaimAsync(client, "Example.COM.");
        domain["ID"]!.GetValue<string>().ShouldBe(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        domain["domain"]!.GetValue<string>().ShouldBe("example.com");
        domain["validated"]!.GetValue<bool>().ShouldBeFalse();
        domain["dns"]!["type"]!.GetValue<string>().ShouldBe("TXT");
        domain["dns"]!["name"]!.GetValue<string>().ShouldBe("_tidings-challenge.example.com");
        domain["dns"]!["value"]!.GetValue<string>().ShouldMatch("^tidings-verification=[0-9a-f]{32}$");
        domain["file"]!["name"]!.GetValue<string>().ShouldMatch("^tidings-verification-[0-9a-f]{16}\\.txt$");
        domain["file"]!["content"]!.GetValue<string>().ShouldStartWith("tidings-verification=");
        (await client.GetJsonAsync("/v3/domains"))["total"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Each_claim_gets_its_own_token()
    {
        var a = await app.NewAccountAsync();
        var b = await app.NewAccountAsync();
        var (_, first) = await ClaimAsync(a, "same.example");
        var (_, second) = await ClaimAsync(b, "same.example");
        second["dns"]!["value"]!.GetValue<string>().ShouldNotBe(first["dns"]!["value"]!.GetValue<string>());
        second["file"]!["name"]!.GetValue<string>().ShouldNotBe(first["file"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not a domain")]
    [InlineData("localhost")]
    [InlineData("-bad.example.com")]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    public async Task Something_that_is_not_a_domain_name_cannot_be_claimed(string domain)
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/domains", new { domain })).ShouldBeCopernicaErrorAsync();
    }

    [Fact]
    public async Task A_domain_is_validated_by_its_TXT_record_and_then_its_webhooks_are_allowed()
    {
        var client = await app.NewAccountAsync();
        var hook = await client.CreateAsync("/v3/webhooks", new { handler = "https://a.b.dns-ok.example/hook", trigger = "open" });
        var (id, domain) = await ClaimAsync(client, "dns-ok.example");
        app.Dns.Txt["_tidings-challenge.dns-ok.example"] = ["v=spf1 -all", domain["dns"]!["value"]!.GetValue<string>()];

        var response = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "dns" });
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var validated = JsonNode.Parse(text)!;
        validated["validated"]!.GetValue<bool>().ShouldBeTrue();
        validated["method"]!.GetValue<string>().ShouldBe("dns");
        validated["validated_at"]!.GetValue<string>().ShouldNotBeNullOrEmpty();

        var webhook = await client.GetJsonAsync($"/v3/webhook/{hook}");
        webhook["validated"]!.GetValue<bool>().ShouldBeTrue();
        webhook["validation_error"].ShouldBeNull();
        var store = app.Services.GetRequiredService<DomainStore>();
        (await store.IsHandlerAllowedAsync(client.AccountId, "https://a.b.dns-ok.example/hook", Ct)).ShouldBeTrue();
        (await store.IsHandlerAllowedAsync(client.AccountId, "https://DNS-OK.example:8443/x", Ct)).ShouldBeTrue();
        (await store.IsHandlerAllowedAsync(client.AccountId, "https://baddns-ok.example/hook", Ct)).ShouldBeFalse();
        (await store.IsHandlerAllowedAsync(client.AccountId, "https://dns-ok.example.evil.net/hook", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_validated_domain_of_one_account_allows_nothing_for_another()
    {
        var owner = await app.NewAccountAsync();
        var (id, domain) = await ClaimAsync(owner, "owned.example");
        app.Dns.Txt["_tidings-challenge.owned.example"] = [domain["dns"]!["value"]!.GetValue<string>()];
        (await owner.PostJsonAsync($"/v3/domain/{id}/validate", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var other = await app.NewAccountAsync();
        var store = app.Services.GetRequiredService<DomainStore>();
        (await store.IsHandlerAllowedAsync(other.AccountId, "https://owned.example/", Ct)).ShouldBeFalse();
        await (await other.GetAsync($"/v3/domain/{id}")).ShouldBeCopernicaErrorAsync("No domain with supplied ID");
        await (await other.PostJsonAsync($"/v3/domain/{id}/validate", new { })).ShouldBeCopernicaErrorAsync("No domain with supplied ID");
        await (await other.DeleteAsync($"/v3/domain/{id}")).ShouldBeCopernicaErrorAsync("No domain with supplied ID");
    }

    [Fact]
    public async Task A_missing_TXT_record_fails_with_what_was_looked_up_and_what_was_expected()
    {
        var client = await app.NewAccountAsync();
        var (id, domain) = await ClaimAsync(client, "missing.example");
        var response = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "dns" });
        var text = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(400, text);
        var message = JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>();
        message.ShouldContain("TXT _tidings-challenge.missing.example");
        message.ShouldContain("no TXT record");
        message.ShouldContain(domain["dns"]!["value"]!.GetValue<string>());
        app.Dns.Questions.ShouldContain("_tidings-challenge.missing.example");
    }

    [Fact]
    public async Task A_wrong_TXT_value_fails_with_the_value_found()
    {
        var client = await app.NewAccountAsync();
        var (id, _) = await ClaimAsync(client, "wrong.example");
        app.Dns.Txt["_tidings-challenge.wrong.example"] = ["tidings-verification=stale"];
        var response = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "dns" });
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        message.ShouldContain("\"tidings-verification=stale\"");
        (await client.GetJsonAsync($"/v3/domain/{id}"))["validated"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task The_verification_file_is_found_in_the_callbacks_folder_or_the_site_root()
    {
        await using var files = await TestFileServer.StartAsync();
        var client = await app.NewAccountAsync();
        var port = new Uri(files.BaseUrl).Port;
        app.Dns.A["hooks.files.test"] = "127.0.0.1";
        var (id, domain) = await ClaimAsync(client, "files.test");
        var name = domain["file"]!["name"]!.GetValue<string>();
        var content = domain["file"]!["content"]!.GetValue<string>();
        var callback = $"http://hooks.files.test:{port}/callbacks/in.php";

        // Nothing served yet: the message names both places it looked.
        var failed = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file", url = callback });
        var message = JsonNode.Parse(await failed.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        message.ShouldContain($"http://hooks.files.test:{port}/callbacks/{name}: HTTP 404");
        message.ShouldContain($"http://hooks.files.test:{port}/{name}: HTTP 404");

        files.Files[$"/callbacks/{name}"] = "wrong content";
        message = JsonNode.Parse(await (await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file", url = callback })).Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        message.ShouldContain("found \"wrong content\"");

        files.Files[$"/callbacks/{name}"] = "\n" + content + "\n";
        var ok = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file", url = callback });
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync(Ct));
        (await client.GetJsonAsync($"/v3/domain/{id}"))["method"]!.GetValue<string>().ShouldBe("file");
    }

    [Fact]
    public async Task The_verification_file_at_the_site_root_of_a_webhooks_handler_validates_the_domain()
    {
        await using var files = await TestFileServer.StartAsync();
        var client = await app.NewAccountAsync();
        var port = new Uri(files.BaseUrl).Port;
        app.Dns.A["root.files.test"] = "127.0.0.1";
        var (id, domain) = await ClaimAsync(client, "root.files.test");
        await client.CreateAsync("/v3/webhooks", new { handler = $"http://root.files.test:{port}/deep/path/hook", trigger = "click" });
        files.Files["/" + domain["file"]!["name"]!.GetValue<string>()] = domain["file"]!["content"]!.GetValue<string>();

        var ok = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file" });
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_redirect_to_the_verification_file_is_not_followed()
    {
        await using var files = await TestFileServer.StartAsync();
        var client = await app.NewAccountAsync();
        var port = new Uri(files.BaseUrl).Port;
        app.Dns.A["redirect.files.test"] = "127.0.0.1";
        var (id, domain) = await ClaimAsync(client, "redirect.files.test");
        var name = domain["file"]!["name"]!.GetValue<string>();
        files.Files["/elsewhere.txt"] = domain["file"]!["content"]!.GetValue<string>();
        files.Files["/" + name] = $"redirect:http://redirect.files.test:{port}/elsewhere.txt";

        var response = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file", url = $"http://redirect.files.test:{port}/" });
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        message.ShouldContain("redirects are not followed");
    }

    [Fact]
    public async Task A_verification_file_on_a_private_address_is_not_fetched()
    {
        // The test fixture allows 127.0.0.1 only (Webhooks:Delivery:AllowedNetworks); 10.x is private.
        var client = await app.NewAccountAsync();
        app.Dns.A["private.files.test"] = "10.1.2.3";
        var (id, _) = await ClaimAsync(client, "private.files.test");
        var response = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file", url = "http://private.files.test/hook" });
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        message.ShouldContain("10.1.2.3, a private address; not allowed (setting Webhooks:Delivery:AllowedNetworks)");
    }

    [Fact]
    public async Task A_file_url_outside_the_domain_is_refused()
    {
        var client = await app.NewAccountAsync();
        var (id, _) = await ClaimAsync(client, "mine.example");
        await (await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "file", url = "https://notmine.example/" }))
            .ShouldBeCopernicaErrorAsync("The url 'https://notmine.example/' is not an http(s) URL under mine.example");
    }

    [Fact]
    public async Task Deleting_a_domain_withdraws_its_validation()
    {
        var client = await app.NewAccountAsync();
        var (id, domain) = await ClaimAsync(client, "gone.example");
        app.Dns.Txt["_tidings-challenge.gone.example"] = [domain["dns"]!["value"]!.GetValue<string>()];
        (await client.PostJsonAsync($"/v3/domain/{id}/validate", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var store = app.Services.GetRequiredService<DomainStore>();
        (await store.IsHandlerAllowedAsync(client.AccountId, "https://gone.example/", Ct)).ShouldBeTrue();

        var response = await client.DeleteAsync($"/v3/domain/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("X-deleted").Single().ShouldBe($"domain {id}");
        (await store.IsHandlerAllowedAsync(client.AccountId, "https://gone.example/", Ct)).ShouldBeFalse();
    }
}
