using System.Net;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Health;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> on a healthy server: their status, JSON shape and HEAD answers, open to anyone,
/// out of the OpenAPI document, and next to the root routes without disturbing them.
/// </summary>
public sealed class HealthEndpointTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it tests the HTTP endpoints, not the store.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Healthz_answers_200_with_a_small_json_body_and_no_caching()
    {
        var response = await app.CreateClient().GetAsync("/healthz", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"status":"ok"}""");
    }

    [Fact]
    public async Task Readyz_answers_200_naming_every_check_and_its_state()
    {
        var response = await app.CreateClient().GetAsync("/readyz", Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        body["status"]!.GetValue<string>().ShouldBe("ready");
        body["node"]!.GetValue<string>().ShouldBe($"{Environment.MachineName}-{Environment.ProcessId}", "by default the host name and the process id");
        body.Select(p => p.Key).ShouldBe(["status", "node", "checked_at", "checks"]);
        DateTimeOffset.Parse(body["checked_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        var checks = body["checks"]!.AsArray().Select(c => c!.AsObject()).ToList();
        // The intake log is on by default with SQLite only (PostgreSQL's nodes share no disk).
        string[] expected = app.OnPostgres
            ? ["database", "journal_writer", "webhook_engine", "data_disk"]
            : ["database", "journal_writer", "webhook_engine", "data_disk", "intake_disk"];
        checks.Select(c => c["name"]!.GetValue<string>()).ShouldBe(expected);
        foreach (var check in checks)
        {
            check.Select(p => p.Key).ShouldBe(["name", "state", "duration_ms", "detail"]);
            check["state"]!.GetValue<string>().ShouldBe("ok", check.ToJsonString());
            check["duration_ms"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
            check["detail"]!.GetValue<string>().ShouldNotBeEmpty();
        }
    }

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Head_answers_the_status_without_a_body(string path)
    {
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, path), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBeEmpty();
    }

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task No_authentication_is_needed_and_a_bad_token_is_ignored(string path)
    {
        // A client without token or cookie, and one with a token that is no token: both get the probe's answer.
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.GetAsync(path, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync(path + "?access_token=nonsense", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_are_refused_without_a_server_error(string method)
    {
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/readyz"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_probes_are_not_in_the_openapi_document_and_the_root_routes_still_answer()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", Ct))!.AsObject();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldNotContain("/healthz");
        paths.ShouldNotContain("/readyz");

        var wsdl = await client.GetAsync("/?wsdl", Ct);
        wsdl.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wsdl.Content.ReadAsStringAsync(Ct)).ShouldContain("definitions");

        var browser = new HttpRequestMessage(HttpMethod.Get, "/");
        browser.Headers.Accept.ParseAdd("text/html");
        (await client.SendAsync(browser, Ct)).Headers.Location!.OriginalString.ShouldBe("/dashboard");
        (await client.GetAsync("/", Ct)).Headers.Location!.OriginalString.ShouldBe("/docs");
        (await client.GetAsync("/v3/databases", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the REST API still wants its token");
    }

    [Fact]
    public async Task Readyz_names_the_node_set_by_Server_NodeId_and_a_node_id_with_other_characters_is_refused_at_start()
    {
        await using (var named = await HealthApp.StartAsync(new Dictionary<string, string?> { ["Server:NodeId"] = "eu-west.web-2" }))
        {
            var body = JsonNode.Parse(await (await named.CreateClient().GetAsync("/readyz", Ct)).Content.ReadAsStringAsync(Ct))!;
            body["node"]!.GetValue<string>().ShouldBe("eu-west.web-2");
        }

        var refused = Should.Throw<Exception>(async () =>
        {
            await using var bad = await HealthApp.StartAsync(new Dictionary<string, string?> { ["Server:NodeId"] = "web 2\nFAKE LOG LINE" });
        });
        refused.ToString().ShouldContain("NodeId may have letters, digits");
    }
}
