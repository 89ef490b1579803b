using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogRedaction;

/// <summary>
/// Requests that put an access token everywhere a client may put one, for checking that no log line shows it: the
/// REST flow of a typical client (token in the query string, also percent-encoded and in an Authorization header;
/// answers 2xx, 4xx; reads and writes), and requests whose target Kestrel refuses before the application sees them.
/// </summary>
internal static class CredentialTraffic
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A token that is no account's, sent where a wrong token would be: it must not be logged either.</summary>
    public const string WrongToken = "0123456789abcdef0123456789abcdef0123456789abcdef";

    public static async Task RunRestFlowAsync(ApiClient client)
    {
        (await client.GetAsync("/v3/identity")).EnsureSuccessStatusCode();
        var database = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("city", "text"));
        var profile = await client.CreateProfileAsync(database, new { email = "ann@example.com", city = "Utrecht" });
        await client.GetJsonAsync($"/v3/database/{database}/profiles?fields[]=city%3D%3DUtrecht");
        await client.GetJsonAsync($"/v3/profile/{profile}");
        (await client.PutJsonAsync($"/v3/profile/{profile}/fields", new { city = "Delft" })).EnsureSuccessStatusCode();
        await client.GetJsonAsync($"/v3/database/{database}/fields");
        var collection = await client.CreateAsync($"/v3/database/{database}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { sku = "A-1" });
        await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles");
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "open", signing = "standard" });
        await client.GetJsonAsync($"/v3/webhook/{webhook}/secrets");
        await client.GetJsonAsync("/v3/webhooks");
        await client.GetJsonAsync("/v3/logfiles");
        await client.GetJsonAsync("/v3/notices");
        (await client.DeleteAsync($"/v3/webhook/{webhook}")).EnsureSuccessStatusCode();

        // Answers the application refuses, with the token still in the query string.
        (await client.GetAsync("/v3/database/999999")).IsSuccessStatusCode.ShouldBeFalse();
        (await client.SendAsync(HttpMethod.Post, "/v3/databases", "{not json")).IsSuccessStatusCode.ShouldBeFalse();
        (await client.GetAsync("/v3/no/such/route")).IsSuccessStatusCode.ShouldBeFalse();
        (await client.Http.GetAsync($"/v3/identity?access_token={WrongToken}", Ct)).IsSuccessStatusCode.ShouldBeFalse();

        // The same token spelled otherwise: percent-encoded name (still read as the token), PHP array style, in a header.
        (await client.Http.GetAsync($"/v3/identity?access%5Ftoken={client.Token}", Ct)).EnsureSuccessStatusCode();
        await client.Http.GetAsync($"/v3/identity?%61ccess_token={client.Token}&access_token[]={client.Token}", Ct);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/v3/databases");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        (await client.Http.SendAsync(bearer, Ct)).EnsureSuccessStatusCode();
        using var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/v3/databases");
        wrongBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WrongToken);
        (await client.Http.SendAsync(wrongBearer, Ct)).IsSuccessStatusCode.ShouldBeFalse();
    }

    /// <summary>Raw requests whose request line or header Kestrel refuses with a 400 (and logs, quoting what it refused).</summary>
    public static IEnumerable<string> RefusedRequests(string token) =>
    [
        $"GET /v3/identity?access_token={token}\u0001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        $"GET /v3/identity?access_token={token}#here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        $"GET v3/identity?access_token={token} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        $"GET /v3/identity?access_token={token} HTTP/1.1 trailing\r\nHost: x\r\nConnection: close\r\n\r\n",
        $"GET /v3/identity?access_token={token}\u00e9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        $"GET /v3/identity HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\u0001\r\n\r\n",
    ];

    /// <summary>Sends each refused request on its own connection; every answer must be Kestrel's 400.</summary>
    public static async Task SendRefusedRequestsAsync(Uri baseAddress, string token)
    {
        foreach (var request in RefusedRequests(token))
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, Ct);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request), Ct);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var answer = await reader.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            answer.ShouldStartWith("HTTP/1.1 400", customMessage: request);
        }
    }
}
