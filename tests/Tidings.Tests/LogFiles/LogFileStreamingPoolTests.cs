using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogFiles;

/// <summary>The server with one streaming read connection that is refused at once when taken.</summary>
public sealed class OneStreamingReadApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Storage:StreamingReadConnections"] = "1",
        ["Storage:StreamingReadWait"] = "00:00:00",
    };
}

/// <summary>
/// Log-file downloads take their read connections from the streaming pool: when it is taken, a download is refused with a
/// Copernica error (429, never a 5xx) while normal requests still find a reader; once free, the download works.
/// </summary>
public sealed class LogFileStreamingPoolTests(OneStreamingReadApp app) : IClassFixture<OneStreamingReadApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_download_finding_the_streaming_pool_taken_gets_a_429_Copernica_error_while_normal_requests_are_answered()
    {
        var client = await app.NewAccountAsync();
        await MailingScenario.CreateAsync(client, profiles: 2);
        var today = app.Services.GetRequiredService<CopernicaTime>().FormatMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())[..10];
        var file = $"/v3/logfile/cdm-attempts.{today}.log/csv";
        var reads = app.Services.GetRequiredService<StreamingReads>();

        await using (await reads.OpenAsync(Ct))
        {
            using var refused = await client.GetAsync(file);
            var text = await refused.Content.ReadAsStringAsync(Ct);
            ((int)refused.StatusCode).ShouldBe(429, text);
            refused.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
            JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>().ShouldBe("Too many log file downloads at once, try again later");
            refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            refused.Headers.Contains("X-Tidings-Last-Seq").ShouldBeFalse("the refusal carries none of the download's headers");

            // The reserve: lists and the log-file index still get their readers.
            (await client.GetJsonAsync("/v3/logfiles")).AsArray().Count.ShouldBeGreaterThan(0);
            using var names = await client.GetAsync($"/v3/logfiles?date={today}");
            ((int)names.StatusCode).ShouldBe(200);
        }

        using var download = await client.GetAsync(file);
        var body = await download.Content.ReadAsStringAsync(Ct);
        ((int)download.StatusCode).ShouldBe(200, body);
        body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);
        reads.Free.ShouldBe(1, "the download gave its connection back");
    }
}
