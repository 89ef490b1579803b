using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Statistics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.ApiDocs;

/// <summary>
/// The schemas of the OpenAPI document are what the server really sends: a mailing with opens, clicks, results and
/// an unsubscribe, a collection with a subprofile, a webhook with secrets and a replay; then every JSON answer of
/// every GET (and the POSTs that answer JSON) is checked against the document, unknown keys included.
/// </summary>
public sealed class ResponseShapeTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<string> _problems = [];
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);
    private DocumentSchemas _schemas = null!;
    private ApiClient _client = null!;

    [Fact]
    public async Task Every_json_answer_fits_its_schema_in_the_document()
    {
        _schemas = new DocumentSchemas(JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json", Ct))!.AsObject());
        _client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(_client, profiles: 3);
        var (opened, failed, unsubscribed) = (scenario.Destinations[0], scenario.Destinations[1], scenario.Destinations[2]);
        var db = scenario.DatabaseId;
        var mailing = scenario.MailingId;

        // Marketing data around the scenario: a collection with a field and a subprofile, and a removed profile.
        var collection = await _client.CreateAsync($"/v3/database/{db}/collections", new { name = "orders" });
        await _client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "total", type = "float" });
        var subprofile = await _client.CreateAsync($"/v3/profile/{opened.ProfileId}/subprofiles/{collection}", new { total = "12.50" });
        var removed = await _client.CreateProfileAsync(db, new { email = "gone@example.com" });
        (await _client.DeleteAsync($"/v3/profile/{removed}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // A mail client opens, clicks and unsubscribes; the MTA reports a delivery, a failure and a bounce.
        var mailClient = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await mailClient.GetAsync(opened.OpenUrl, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await mailClient.GetAsync(opened.ClickUrls[0], Ct)).StatusCode.ShouldBe(HttpStatusCode.Found);
        var unsubscribeUrl = "/t/u/" + unsubscribed.Token;
        (await mailClient.PostAsync(unsubscribeUrl, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PostAsync("/v3/mta/results", "/v3/mta/results", 200, $$"""
            [{"message":"{{opened.MessageId}}","type":"delivery","code":250,"attempts":0},
             {"message":"{{failed.MessageId}}","type":"failure","errortype":"hard","code":550,"status":"5.1.1","description":"no such user","state":"rcptto"}]
            """);
        await PostAsync("/v3/mta/results", "/v3/mta/results", 400, $$"""[{"message":"{{opened.MessageId}}","type":"delivery"},{"message":"nope","type":"delivery"}]""");
        await app.Services.JournaledAsync(Ct);
        await app.Services.GetRequiredService<StatisticsConsumer>().CatchUpAsync(Ct);

        // Webhooks: one with secrets and a replay; a domain.
        var webhook = await _client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/tidings", trigger = "create", database = db.ToString(CultureInfo.InvariantCulture) });
        var domain = await _client.CreateAsync("/v3/domains", new { domain = "hooks.example.com" });
        await PostAsync("/v3/webhook/{id}/secrets/rotate", $"/v3/webhook/{webhook}/secrets/rotate", 200, """{"kind":"ed25519"}""");
        await PostAsync("/v3/webhook/{id}/secrets", $"/v3/webhook/{webhook}/secrets", 200,
            $$"""{"secret":"whsec_{{Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}}","grace":60}""", HttpMethod.Put);
        await PostAsync("/v3/webhook/{id}/test", $"/v3/webhook/{webhook}/test", 400, """{"type":"create"}""");
        await PostAsync("/v3/webhooks/check", "/v3/webhooks/check", 200, "");
        var replay = await _client.CreateAsync($"/v3/webhook/{webhook}/replay", new { failed = true });

        // Every GET of the document, with ids from above.
        var destination = opened;
        var today = (await _client.GetJsonAsync("/v3/logfiles")).AsArray().Select(d => d!.GetValue<string>()).Last();
        var logFile = (await _client.GetJsonAsync($"/v3/logfiles?date={today}")).AsArray().Select(n => n!.GetValue<string>()).First(n => n.StartsWith("cdm-click", StringComparison.Ordinal));
        string[][] gets =
        [
            ["/v3/identity", "/v3/identity"],
            ["/v3/consumption", $"/v3/consumption?begin=2000-01-01&end={today}"],
            ["/v3/notices", "/v3/notices"],
            ["/v3/audit", "/v3/audit"],
            ["/v3/databases", "/v3/databases"],
            ["/v3/database/{id}", $"/v3/database/{db}"],
            ["/v3/database/{id}/unsubscribe", $"/v3/database/{db}/unsubscribe"],
            ["/v3/database/{id}/fields", $"/v3/database/{db}/fields"],
            ["/v3/database/{id}/interests", $"/v3/database/{db}/interests"],
            ["/v3/database/{id}/collections", $"/v3/database/{db}/collections"],
            ["/v3/collection/{id}", $"/v3/collection/{collection}"],
            ["/v3/collection/{id}/unsubscribe", $"/v3/collection/{collection}/unsubscribe"],
            ["/v3/collection/{id}/fields", $"/v3/collection/{collection}/fields"],
            ["/v3/database/{id}/profiles", $"/v3/database/{db}/profiles"],
            ["/v3/database/{id}/profiles", $"/v3/database/{db}/profiles?dataonly=true&total=false"],
            ["/v3/database/{id}/profileids", $"/v3/database/{db}/profileids"],
            ["/v3/profile/{id}", $"/v3/profile/{opened.ProfileId}"],
            ["/v3/profile/{id}", $"/v3/profile/{removed}"],
            ["/v3/profile/{id}/fields", $"/v3/profile/{opened.ProfileId}/fields"],
            ["/v3/profile/{id}/interests", $"/v3/profile/{opened.ProfileId}/interests"],
            ["/v3/profile/{id}/interests", $"/v3/profile/{opened.ProfileId}/interests?return=ids"],
            ["/v3/profile/{id}/interests", $"/v3/profile/{opened.ProfileId}/interests?return=objects"],
            ["/v3/profile/{id}/subprofiles/{collection}", $"/v3/profile/{opened.ProfileId}/subprofiles/{collection}"],
            ["/v3/subprofile/{id}", $"/v3/subprofile/{subprofile}"],
            ["/v3/subprofile/{id}/fields", $"/v3/subprofile/{subprofile}/fields"],
            ["/v3/collection/{id}/subprofiles", $"/v3/collection/{collection}/subprofiles"],
            ["/v3/collection/{id}/subprofiles", $"/v3/collection/{collection}/subprofiles?dataonly=true"],
            ["/v3/collection/{id}/subprofileids", $"/v3/collection/{collection}/subprofileids"],
            ["/v3/ms/emailings", "/v3/ms/emailings"],
            ["/v3/ms/emailing/{id}", $"/v3/ms/emailing/{mailing}"],
            ["/v3/ms/emailing/{id}/destinations", $"/v3/ms/emailing/{mailing}/destinations"],
            ["/v3/ms/destination/{id}", $"/v3/ms/destination/{destination.Id}"],
            ["/v3/ms/emailing/{id}/statistics", $"/v3/ms/emailing/{mailing}/statistics"],
            ["/v3/ms/destination/{id}/statistics", $"/v3/ms/destination/{destination.MessageId}/statistics"],
            ["/v3/webhooks", "/v3/webhooks"],
            ["/v3/webhook/{id}", $"/v3/webhook/{webhook}"],
            ["/v3/database/{id}/webhooks", $"/v3/database/{db}/webhooks"],
            ["/v3/collection/{id}/webhooks", $"/v3/collection/{collection}/webhooks"],
            ["/v3/domains", "/v3/domains"],
            ["/v3/domain/{id}", $"/v3/domain/{domain}"],
            ["/v3/webhook/{id}/secrets", $"/v3/webhook/{webhook}/secrets"],
            ["/v3/webhook/{id}/status", $"/v3/webhook/{webhook}/status"],
            ["/v3/webhook/{id}/attempts", $"/v3/webhook/{webhook}/attempts"],
            ["/v3/webhook/{id}/deliveries", $"/v3/webhook/{webhook}/deliveries"],
            ["/v3/webhook/{id}/replays", $"/v3/webhook/{webhook}/replays"],
            ["/v3/webhook/{id}/replay/{replayId}", $"/v3/webhook/{webhook}/replay/{replay}"],
            ["/v3/logfiles", "/v3/logfiles"],
            ["/v3/logfiles", $"/v3/logfiles?date={today}"],
            ["/v3/logfile/{name}/{format}", $"/v3/logfile/{logFile}/json"],
            ["/.well-known/tidings/webhook-keys", "/.well-known/tidings/webhook-keys"],
        ];
        foreach (var get in gets) await GetAsync(get[0], get[1]);
        foreach (var list in StatisticsEndpoints.Lists)
        {
            // Items to check: the scenario made one of each kind except complaints, which come only from a feedback loop.
            if (list != MailingCounters.Abuses) (await _client.GetJsonAsync($"/v3/ms/emailing/{mailing}/{list}"))["count"]!.GetValue<int>().ShouldBePositive(list);
            await GetAsync($"/v3/ms/{list}", $"/v3/ms/{list}");
            await GetAsync($"/v3/ms/emailing/{{id}}/{list}", $"/v3/ms/emailing/{mailing}/{list}");
            await GetAsync($"/v3/ms/destination/{{id}}/{list}", $"/v3/ms/destination/{destination.Id}/{list}");
        }

        // Copernica's error, on a few kinds of refusal.
        await GetAsync("/v3/database/{id}", "/v3/database/999999", 400);
        await GetAsync("/v3/profile/{id}", "/v3/profile/999999", 400);
        await GetAsync("/v3/ms/destination/{id}/statistics", "/v3/ms/destination/nothing/statistics", 400);

        _problems.ShouldBeEmpty();
        var notCalled = JsonGets().Where(g => !_checked.Contains(g)).ToList();
        notCalled.ShouldBeEmpty("GET operations with a JSON answer that this test does not call yet: add them above");
    }

    /// <summary>Every GET operation of the document whose success answer is JSON.</summary>
    private IEnumerable<string> JsonGets() =>
        from path in _schemas.Document["paths"]!.AsObject()
        where path.Value!["get"] is not null && _schemas.ResponseSchema("get", path.Key, 200) is not null
        select path.Key;

    private async Task GetAsync(string template, string url, int status = 200)
    {
        var response = template.StartsWith("/v3/", StringComparison.Ordinal) ? await _client.GetAsync(url) : await app.CreateClient().GetAsync(url, Ct);
        await CheckAsync("GET", template, url, response, status);
    }

    private async Task PostAsync(string template, string url, int status, string body, HttpMethod? method = null) =>
        await CheckAsync((method ?? HttpMethod.Post).Method, template, url, await _client.SendAsync(method ?? HttpMethod.Post, url, body), status);

    private async Task CheckAsync(string method, string template, string url, HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(status, $"{method} {url}: {text}");
        var schema = _schemas.ResponseSchema(method, template, status);
        if (schema is null)
        {
            _problems.Add($"{method} {template}: the document has no JSON schema for {status}");
            return;
        }

        var json = JsonNode.Parse(text);
        _problems.AddRange(_schemas.Problems(json, schema).Select(p => $"{method} {url} ({status}): {p}"));
        if (method == "GET" && status == 200) _checked.Add(template);
        if (json is JsonObject { Count: 0 } or JsonArray { Count: 0 } && method == "GET") _problems.Add($"{method} {url}: empty, so nothing was checked");
    }
}
