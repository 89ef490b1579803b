using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogFiles;

/// <summary>The server on a real socket with one download turn, small send buffers and a write timeout far beyond the test.</summary>
public sealed class OneDownloadTurnApp : KestrelTidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["LogFiles:DownloadTurns"] = "1",
        ["LogFiles:SendBufferBytes"] = "4096",
        ["Server:ResponseWriteTimeout"] = "00:10:00",
        ["Server:MinResponseBytesPerSecond"] = "0",
    };
}

/// <summary>
/// Downloads take turns at their work (<c>LogFiles:DownloadTurns</c>) but give the turn back while their rows
/// wait for the client: with one turn, downloads whose clients read nothing (CSV, and XML, whose writer empties its
/// own buffer as it goes) do not keep another download from finishing.
/// </summary>
public sealed class LogFileDownloadTurnsTests(OneDownloadTurnApp app) : IClassFixture<OneDownloadTurnApp>
{
    private const int Rows = 3000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Downloads_whose_clients_read_nothing_hold_no_download_turn_so_another_download_finishes()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // About 1 KB a row, 3 MB a file: far more than a send buffer, a receive buffer and the response pipe hold.
        var agent = "Mozilla/5.0 " + new string('x', 1000);
        var events = Enumerable.Range(0, Rows).Select(i => new RawEvent(EventTypes.Open, DestinationKey.Token, s.Destinations[0].Token, null, at,
            new JsonObject { ["ip"] = "10.0.0.1", ["useragent"] = agent, ["referer"] = "", ["headers"] = new JsonObject() })).ToList();
        (await app.Services.GetRequiredService<JournalWriter>().AppendAllAsync(events, Ct)).ShouldAllBe(o => o == AppendOutcome.Recorded);
        await app.Services.JournaledAsync(Ct);
        var day = app.Services.GetRequiredService<CopernicaTime>().FormatMs(at)[..10];
        var files = await client.GetJsonAsync($"/v3/logfiles?date={day}");
        var name = files.AsArray().Select(f => f!.GetValue<string>()).Single(f => f.StartsWith("cdm-impression.", StringComparison.Ordinal));

        using var stalledCsv = await StalledDownloadAsync(client.Url($"/v3/logfile/{name}/csv"));
        using var stalledXml = await StalledDownloadAsync(client.Url($"/v3/logfile/{name}/xml"));

        using var whole = await client.GetAsync($"/v3/logfile/{name}/json").WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var body = await whole.Content.ReadAsStringAsync(Ct);
        ((int)whole.StatusCode).ShouldBe(200, body.Length < 300 ? body : body[..300]);
        JsonNode.Parse(body)!.AsArray().Count.ShouldBe(Rows);
    }

    /// <summary>A download that reads its response headers and then nothing more, on a socket with a small receive buffer.</summary>
    private async Task<Socket> StalledDownloadAsync(string path)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port, Ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\n\r\n"), Ct);
        var buffer = new byte[512];
        var read = await socket.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Encoding.ASCII.GetString(buffer, 0, read).ShouldStartWith("HTTP/1.1 200");
        return socket;
    }
}
