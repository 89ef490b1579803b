using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.MtaResults;

/// <summary>The server with small delivery limits, so limits can be tested with small requests.</summary>
public sealed class MtaResultsApp : TidingsApp
{
    public const int MaxResults = 20;
    public const int MaxBody = 64 * 1024;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Delivery:MaxResultsPerRequest"] = MaxResults.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Rest:MaxRequestBodyBytes"] = MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The journal's mailing events of an account other than attempts, in order: type and payload.</summary>
    public async Task<List<(string Type, JsonObject Payload, long Occurred)>> DeliveryEventsAsync(long accountId)
    {
        await using var connection = await Services.OpenCaughtUpReadAsync(TestContext.Current.CancellationToken);
        var rows = await connection.QueryAsync<(string Type, string Payload, long Occurred)>(
            "SELECT type, payload, occurred FROM journal WHERE account_id = @accountId AND type IN ('delivery', 'retry', 'failure', 'bounce') ORDER BY seq",
            new { accountId });
        return rows.Select(r => (r.Type, JsonNode.Parse(r.Payload)!.AsObject(), r.Occurred)).ToList();
    }
}

public static class MtaResultsRequests
{
    public static Task<HttpResponseMessage> PostResultsAsync(this ApiClient client, string body, string contentType = "application/json", string path = "/v3/mta/results") =>
        client.SendAsync(HttpMethod.Post, path, body, contentType);

    public static async Task<JsonObject> OkJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(200, text);
        response.Content.Headers.ContentType?.ToString().ShouldBe("application/json");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> BadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(400, text);
        return JsonNode.Parse(text)!["error"]!.AsObject();
    }

    public static List<int> Ints(this JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<int>()).ToList();
}
