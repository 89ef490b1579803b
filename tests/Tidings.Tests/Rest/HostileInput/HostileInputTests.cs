using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest.HostileInput;

/// <summary>
/// Sends every hostile case (<see cref="HostileCases"/>) to every endpoint the application maps, enumerated from its
/// <see cref="EndpointDataSource"/> so that a new endpoint is covered without touching this test, with the ids of
/// entities created first. Any 5xx, or a connection closed without a status, fails it. Endpoints that read a body
/// have a valid body here (<see cref="Seeds"/>) whose every value and key is mutated in turn; an endpoint without one
/// still gets the whole-body, query and path cases. Runs once, in the SQLite pass: it tests parsing, not storage.
/// </summary>
public sealed class HostileInputTests(HostileInputApp app) : IClassFixture<HostileInputApp>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private sealed record Seed(string? Json = null, string? Query = null, string? Raw = null, string? RawContentType = null, IReadOnlyDictionary<string, string>? RawSlots = null, bool Valid = true);

    private sealed record Target(string Method, RoutePattern Pattern, string Path)
    {
        public string Key => $"{Method} {Pattern.RawText}";
    }

    private sealed record Probe(string Case, string Method, string PathAndQuery, BodyCase? Body, bool MustSucceed = false);

    /// <summary>The slots of <see cref="Dsn"/> and their valid values (declared before <see cref="Seeds"/>, which uses them).</summary>
    private static readonly Dictionary<string, string> DsnSlots = new(StringComparer.Ordinal)
    {
        ["date"] = "Sat, 21 Nov 2026 14:02:11 +0100", ["charset"] = "us-ascii", ["text"] = "550 5.1.1 user unknown",
        ["recipient"] = "person0@example.com", ["action"] = "failed", ["status"] = "5.1.1", ["msgid"] = "{msgid}",
    };

    /// <summary>
    /// Valid bodies, by "METHOD pattern", or "* pattern" for both PUT and POST. Placeholders in braces are the ids created in setup. A seed
    /// marked valid must itself succeed, which proves that its mutations reach the endpoint's real work.
    /// </summary>
    private static readonly Dictionary<string, Seed> Seeds = new(StringComparer.Ordinal)
    {
        ["POST /v3/databases"] = new("""{"name":"Fuzz","description":"d","archived":false}"""),
        ["* /v3/database/{id}"] = new("""{"name":"{dbname}","description":"d","archived":false}"""),
        ["* /v3/database/{id}/unsubscribe"] = new("""{"behavior":"update","fields":{"city":"gone"}}"""),
        ["* /v3/database/{id}/intentions"] = new("""{"email":true,"sms":false,"fax":0,"pdf":"yes"}"""),
        ["POST /v3/database/{id}/fields"] = new("""{"name":"extra","type":"text","value":"","displayed":true,"ordered":false,"length":50,"textlines":1,"hidden":false,"index":false,"lock":false}"""),
        ["* /v3/database/{id}/field/{fieldId}"] = new("""{"name":"email","type":"email","value":"","displayed":true,"length":50,"index":false}"""),
        ["POST /v3/database/{id}/interests"] = new("""{"name":"extra","group":"g"}"""),
        ["* /v3/interest/{id}"] = new("""{"name":"news","group":"letters"}"""),
        ["POST /v3/database/{id}/collections"] = new("""{"name":"extra","description":"d"}"""),
        ["* /v3/collection/{id}"] = new("""{"name":"orders","description":"d"}"""),
        ["* /v3/collection/{id}/unsubscribe"] = new("""{"behavior":"update","fields":{"note":"gone"}}"""),
        ["* /v3/collection/{id}/intentions"] = new("""{"email":true,"sms":false}"""),
        ["POST /v3/collection/{id}/fields"] = new("""{"name":"extra","type":"integer","value":"0"}"""),
        ["* /v3/collection/{id}/field/{fieldId}"] = new("""{"name":"note","type":"text"}"""),
        ["POST /v3/database/{id}/profiles"] = new("""{"fields":{"email":"fuzz@example.com","firstname":"F","city":"U"},"interests":["news"],"secret":"s"}"""),
        ["PUT /v3/database/{id}/profiles"] = new("""{"fields":{"city":"Delft"},"interests":{"news":1}}""", "fields[]=email==person0@example.com&create=1"),
        ["DELETE /v3/database/{id}/profiles"] = new("""{"profiles":["{profile2}"]}"""),
        ["* /v3/profile/{id}"] = new("""{"fields":{"city":"Delft"},"interests":["news"],"secret":"abc"}"""),
        ["* /v3/profile/{id}/fields"] = new("""{"city":"Delft","firstname":"X"}"""),
        ["* /v3/profile/{id}/interests"] = new("""{"news":1}"""),
        ["POST /v3/profile/{id}/subprofiles/{collection}"] = new("""{"fields":{"note":"n"}}"""),
        ["PUT /v3/profile/{id}/subprofiles/{collection}"] = new("""{"note":"m"}""", "fields[]=note==n&create=1"),
        ["* /v3/subprofile/{id}"] = new("""{"fields":{"note":"x"},"secret":"abc"}"""),
        ["* /v3/subprofile/{id}/fields"] = new("""{"note":"x"}"""),
        ["PUT /v3/collection/{id}/subprofiles"] = new("""{"note":"y"}""", "fields[]=note==x"),
        ["POST /v3/webhooks"] = new(WebhookJson),
        ["* /v3/webhook/{id}"] = new(WebhookJson),
        ["POST /v3/webhook/{id}/secrets/rotate"] = new("""{"kind":"hmac","grace":60}"""),
        ["* /v3/webhook/{id}/secrets"] = new("""{"secret":"{whsec}","grace":60}"""),
        ["POST /v3/webhook/{id}/replay"] = new("""{"from":"2026-01-01 00:00:00","to":"2026-01-02 00:00:00"}"""),
        ["POST /v3/webhook/{id}/test"] = new("""{"type":"open","data":{"a":"b"}}""", Valid: false), // the handler's domain is not validated
        ["POST /v3/domains"] = new("""{"domain":"claimed.example.com","validate":false}"""),
        ["POST /v3/domain/{id}/validate"] = new("""{"method":"dns"}""", Valid: false), // nothing is published
        ["POST /v3/ms/emailing"] = new("""{"target":"{profile}","targettype":"profile","template":12,"subject":"s","from_address":{"name":"n","email":"a@example.com"},"senderdomain":"mail.shop.example","tags":["t"],"links":["https://shop.example/x"],"type":"individual"}"""),
        ["POST /v3/mta/results"] = new("""[{"message":"{msgid}","type":"delivery","time":"{now}","code":250,"status":"2.0.0","description":"ok","attempts":1,"id":"r1"},{"message":"{msgid}","type":"bounce","recipient":"a@b.nl","envelope":{"remotemta":"mx"}}]"""),
        ["POST /v3/mta/dsn"] = new(Raw: Dsn, RawContentType: "multipart/report; report-type=delivery-status; boundary=\"b1\"", RawSlots: DsnSlots),
    };

    private const string WebhookJson = """
        {"handler":"https://hooks.fuzz.example.com/hook","trigger":"open","triggers":["open","click"],"callers":["ms"],"database":"{db}","collection":"{collection}",
         "format":"json","signing":"both","max_concurrency":2,"max_per_second":5,"batch_max_events":1,"batch_max_ms":0,"ordered":false,"enabled":true}
        """;

    private const string Dsn = "From: MAILER-DAEMON@mail.shop.example\r\nDate: «date»\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=«charset»\r\n\r\nThe message «text» could not be delivered.\r\n"
        + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.shop.example\r\nArrival-Date: «date»\r\n\r\n"
        + "Final-Recipient: rfc822; «recipient»\r\nAction: «action»\r\nStatus: «status»\r\nDiagnostic-Code: smtp; «text»\r\n\r\n"
        + "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <«msgid»@mail.shop.example>\r\nX-Tidings-Message: «msgid»\r\n--b1--\r\n";

    [Fact]
    public async Task No_hostile_request_to_any_endpoint_gets_a_server_error_or_a_closed_connection()
    {
        if (TidingsApp.SuiteOnPostgres) Assert.Skip("Runs once, in the SQLite pass: it tests input handling, not storage.");
        var clock = Stopwatch.StartNew();
        var setup = await app.NewAccountAsync("Hostile");
        var ids = await SetUpAsync(setup);
        // A click answers with a redirect to the mailing's link, which is not to be followed here.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        var client = new ApiClient(http, setup.Token, setup.AccountId);
        var targets = Targets(ids).ToList();
        targets.Count.ShouldBeGreaterThan(80, "the application's endpoints were not found");

        var probes = targets.SelectMany(t => Probes(t, ids)).ToList();
        var failures = new ConcurrentQueue<string>();
        var invalidSeeds = new ConcurrentQueue<string>();

        // Deletions last, so that everything else runs against live entities; the valid bodies first and one at a time,
        // so that no mutation running beside them (one that creates the same name, say) can make them fail.
        var phases = probes.GroupBy(p => (Delete: p.Method == "DELETE", Hostile: !p.MustSucceed)).OrderBy(g => g.Key.Delete).ThenBy(g => g.Key.Hostile);
        foreach (var phase in phases)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = phase.Key.Hostile ? 4 : 1, CancellationToken = TestContext.Current.CancellationToken };
            await Parallel.ForEachAsync(phase, parallel, async (probe, ct) =>
            {
                var (status, excerpt) = await SendAsync(client, probe, ct);
                var what = $"{probe.Method} {Shorten(probe.PathAndQuery)} [{probe.Case}]";
                if ((status is null or >= 500) && !excerpt.StartsWith(SoapFaultMark, StringComparison.Ordinal)) failures.Enqueue($"{what}: {(status is null ? "" : $"{status} ")}{excerpt}");
                else if (probe.MustSucceed && status >= 300) invalidSeeds.Enqueue($"{what}: {status} {excerpt}");
            });
        }

        var report = $"{probes.Count} requests to {targets.Count} endpoint methods in {clock.Elapsed.TotalSeconds:0.0} s";
        TestContext.Current.SendDiagnosticMessage(report);
        failures.ShouldBeEmpty($"{failures.Count} of {report} failed:\n" + string.Join('\n', failures.Take(60)));
        invalidSeeds.ShouldBeEmpty("valid bodies that did not succeed, so their mutations test little:\n" + string.Join('\n', invalidSeeds));
    }

    /// <summary>Requests Kestrel itself refuses, or that reach the application broken, sent as raw bytes.</summary>
    [Theory]
    [InlineData("GET /v3/database/\u00ff HTTP/1.1", "", "")]
    [InlineData("GET /v3/database/1%00 HTTP/1.1", "", "")]
    [InlineData("GET /v3/profile/1\u0000 HTTP/1.1", "", "")]
    [InlineData("GET /v3/databases?access_token=\u00ff%ED%A0%80 HTTP/1.1", "", "")]
    [InlineData("GET /v3/databases HTTP/1.1", "X-Header: \u00ff\u0000\r\n", "")]
    [InlineData("POST /v3/databases HTTP/1.1", "Content-Length: 99999999999999999999\r\n", "")]
    [InlineData("POST /v3/databases HTTP/1.1", "Transfer-Encoding: chunked\r\n", "zz\r\n")]
    [InlineData("POST /v3/databases HTTP/1.1", "Content-Type: application/json\r\nContent-Length: 2\r\n", "{\u00ff")]
    [InlineData("BREW /v3/databases HTTP/1.1", "", "")]
    public async Task A_request_broken_below_the_api_still_gets_a_status(string requestLine, string headers, string body)
    {
        if (TidingsApp.SuiteOnPostgres) Assert.Skip("Runs once, in the SQLite pass: it tests input handling, not storage.");
        var address = app.BaseAddress;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var request = $"{requestLine}\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n{body}";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), TestContext.Current.CancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var buffer = new byte[1024];
        var read = await stream.ReadAtLeastAsync(buffer, 12, throwOnEndOfStream: false, timeout.Token);
        var statusLine = Encoding.Latin1.GetString(buffer, 0, read).Split("\r\n")[0];
        statusLine.ShouldMatch("^HTTP/1\\.1 [1-4][0-9][0-9] ", $"no status, or a server error, for {requestLine} {headers}");
    }

    /// <summary>Entities for the paths' ids: a database with a mailing, a collection, a subprofile, a webhook, a domain and a replay.</summary>
    private static async Task<Dictionary<string, string>> SetUpAsync(ApiClient client)
    {
        var scenario = await MailingScenario.CreateAsync(client, profiles: 3);
        var db = scenario.DatabaseId;
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "orders" });
        var collectionField = await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "note", type = "text" });
        var profile = scenario.Destinations[0].ProfileId;
        var subprofile = await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { note = "x" });
        var fields = await client.GetJsonAsync($"/v3/database/{db}/fields");
        var interests = await client.GetJsonAsync($"/v3/database/{db}/interests");
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.fuzz.example.com/hook", trigger = "open", database = db });
        var domain = await client.CreateAsync("/v3/domains", new { domain = "fuzz.example.com" });
        var replay = await client.CreateAsync($"/v3/webhook/{webhook}/replay", new { failed = true });
        var destination = scenario.Destinations[0];
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["db"] = db.S(), ["dbname"] = (await client.GetJsonAsync($"/v3/database/{db}")).Str("name"),
            ["database.field"] = fields!["data"]![0]!.Str("ID"), ["collection.field"] = collectionField.S(),
            ["collection"] = collection.S(), ["profile"] = profile.S(), ["profile2"] = scenario.Destinations[1].ProfileId.S(),
            ["subprofile"] = subprofile.S(), ["interest"] = interests!["data"]![0]!.Str("ID"), ["webhook"] = webhook.S(),
            ["domain"] = domain.S(), ["emailing"] = scenario.MailingId.S(), ["destination"] = destination.Id.S(), ["replay"] = replay.S(),
            ["msgid"] = destination.MessageId, ["token"] = destination.Token,
            ["whsec"] = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["now"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["logfile"] = $"cdm-attempts.{DateTime.Now:yyyy-MM-dd}.log",
        };
    }

    /// <summary>Every method of every route endpoint of the application, with the setup's ids in the path.</summary>
    private IEnumerable<Target> Targets(IReadOnlyDictionary<string, string> ids)
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "DELETE"];
            foreach (var method in methods.Distinct())
            {
                yield return new Target(method, endpoint.RoutePattern, Path(endpoint.RoutePattern, ids, null));
            }
        }
    }

    /// <summary>The path of a pattern with the setup's ids, or with <paramref name="hostile"/> in place of one parameter.</summary>
    private static string Path(RoutePattern pattern, IReadOnlyDictionary<string, string> ids, (RoutePatternParameterPart Part, string Value)? hostile)
    {
        var sb = new StringBuilder();
        string? previous = null;
        foreach (var segment in pattern.PathSegments)
        {
            sb.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        sb.Append(literal.Content);
                        previous = literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        sb.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        sb.Append(hostile is { } h && h.Part == parameter ? h.Value : IdFor(parameter.Name, previous, pattern, ids));
                        break;
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>A valid value for a route parameter, from its name and the literal before it; "1" when unknown.</summary>
    private static string IdFor(string name, string? previous, RoutePattern pattern, IReadOnlyDictionary<string, string> ids)
    {
        var raw = pattern.RawText ?? "";
        return (name, previous) switch
        {
            ("id", "database") => ids["db"],
            ("id", "collection") => ids["collection"],
            ("id", "profile") => ids["profile"],
            ("id", "subprofile") => ids["subprofile"],
            ("id", "interest") => ids["interest"],
            ("id", "webhook") => ids["webhook"],
            ("id", "domain") => ids["domain"],
            ("id", "emailing") => ids["emailing"],
            ("id", "destination") => ids["destination"],
            ("fieldId", _) => raw.Contains("/collection/", StringComparison.Ordinal) ? ids["collection.field"] : ids["database.field"],
            ("collection", _) => ids["collection"],
            ("replayId", _) => ids["replay"],
            ("name", "logfile") => ids["logfile"],
            ("format", _) => "json",
            ("token", "o") => ids["token"] + ".gif",
            ("token", _) => ids["token"],
            ("link", _) => "0",
            ("documentName", _) => "v1",
            _ => "1",
        };
    }

    /// <summary>Every hostile request for one endpoint method.</summary>
    private static IEnumerable<Probe> Probes(Target target, IReadOnlyDictionary<string, string> ids)
    {
        var seed = Seeds.GetValueOrDefault(target.Key) ?? (target.Method is "PUT" or "POST" ? Seeds.GetValueOrDefault("* " + target.Pattern.RawText) : null);
        var query = seed?.Query is { } q ? Fill(q, ids) : null;
        var seedJson = seed?.Json is { } j ? Fill(j, ids) : null;
        var takesBody = target.Method is not ("GET" or "HEAD");
        var path = target.Path + (query is null ? "" : "?" + query);
        BodyCase? validBody = seedJson is null || !takesBody ? null : new BodyCase("valid", Encoding.UTF8.GetBytes(seedJson), HostileCases.Json);

        if (takesBody)
        {
            if (seed is not null) yield return new Probe("the valid body", target.Method, path, validBody, seed.Valid && seed.Raw is null);
            foreach (var body in HostileCases.WholeBodies(seedJson)) yield return new Probe(body.Name, target.Method, path, body);
            if (seedJson is not null)
            {
                var tree = JsonNode.Parse(seedJson)!;
                foreach (var body in HostileCases.JsonMutations(tree)) yield return new Probe(body.Name, target.Method, path, body);
                foreach (var body in HostileCases.FormCases(tree)) yield return new Probe(body.Name, target.Method, path, body);
            }

            if (seed?.Raw is { } raw)
            {
                var slots = seed.RawSlots!.ToDictionary(s => s.Key, s => Fill(s.Value, ids));
                foreach (var body in HostileCases.RawMutations(raw, slots, seed.RawContentType!))
                {
                    yield return new Probe(body.Name, target.Method, path, body, body.Name == "raw: valid" && seed.Valid);
                }
            }
        }

        // The same endpoint through the aliases old clients use, and through paths that are not quite it.
        if (target.Path.StartsWith("/v3/", StringComparison.Ordinal))
        {
            var rest = target.Path[3..] + (query is null ? "" : "?" + query);
            foreach (var prefix in new[] { "/v2", "/v1", "" }) yield return new Probe($"alias '{prefix}'", target.Method, prefix + rest, validBody);
            yield return new Probe("upper case path", target.Method, "/v3" + target.Path[3..].ToUpperInvariant() + (query is null ? "" : "?" + query), validBody);
            yield return new Probe("trailing slashes", target.Method, target.Path + "//" + (query is null ? "" : "?" + query), validBody);
        }

        foreach (var (name, hostileQuery) in HostileCases.Queries)
        {
            yield return new Probe("query " + name, target.Method, target.Path + "?" + (query is null ? "" : query + "&") + hostileQuery, validBody);
        }

        foreach (var parameter in target.Pattern.Parameters)
        {
            foreach (var (name, value) in HostileCases.PathValues)
            {
                yield return new Probe($"{{{parameter.Name}}} {name}", target.Method, Path(target.Pattern, ids, (parameter, value)) + (query is null ? "" : "?" + query), validBody);
            }
        }
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> ids)
    {
        foreach (var (key, value) in ids) template = template.Replace("{" + key + "}", value, StringComparison.Ordinal);
        return template;
    }

    /// <summary>Sends one probe; the status, or null with the reason when no status came, and an excerpt of the answer.</summary>
    private static async Task<(int? Status, string Excerpt)> SendAsync(ApiClient client, Probe probe, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), client.Url(probe.PathAndQuery));
        if (probe.Body is { } body)
        {
            request.Content = new ByteArrayContent(body.Body);
            if (body.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
            else request.Content.Headers.ContentType = null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            // SOAP 1.1 answers every error on POST / with HTTP 500 and a Fault: the one 5xx allowed, and only with a Fault body.
            if (response.StatusCode == System.Net.HttpStatusCode.InternalServerError && IsSoapFault(text)) return (500, SoapFaultMark + Shorten(text));
            return ((int)response.StatusCode, Shorten(text));
        }
        catch (HttpRequestException ex)
        {
            return (null, "no status, the connection closed: " + ex.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no answer within {RequestTimeout.TotalSeconds} s");
        }
    }

    private const string SoapFaultMark = "SOAP Fault: ";

    private static bool IsSoapFault(string text)
    {
        try
        {
            System.Xml.Linq.XNamespace env = "http://schemas.xmlsoap.org/soap/envelope/";
            var fault = System.Xml.Linq.XDocument.Parse(text).Root?.Element(env + "Body")?.Element(env + "Fault");
            return fault?.Element("faultcode") is not null && !string.IsNullOrWhiteSpace(fault.Element("faultstring")?.Value);
        }
        catch (System.Xml.XmlException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
