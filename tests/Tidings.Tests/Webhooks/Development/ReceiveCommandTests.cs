using System.Net;
using System.Net.Sockets;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Development;

/// <summary>The <c>receive</c> command as an operator runs it: its arguments, a port in use, and Ctrl+C.</summary>
public sealed class ReceiveCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_directory, "tidings.db");

    [Theory]
    [InlineData]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("nine")]
    [InlineData("9000", "9001")]
    public async Task Without_one_port_it_prints_its_usage_and_exits_2(params string[] words)
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "Runs on its own SQLite file: the SQLite pass covers it.");
        var (exit, output) = await CommandLine.RunAsync(Database, [], ["receive", .. words]);
        exit.ShouldBe(2, output);
        output.ShouldContain("Usage: receive <port>");
    }

    [Fact]
    public async Task A_port_in_use_is_said_and_exits_1()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "Runs on its own SQLite file: the SQLite pass covers it.");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (exit, output) = await CommandLine.RunAsync(Database, [], "receive", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        exit.ShouldBe(1, output);
        output.ShouldContain($"Cannot listen on 127.0.0.1:{port}");
    }

    [Fact]
    public async Task Ctrl_C_stops_it_cleanly()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "Runs on its own SQLite file: the SQLite pass covers it.");
        var port = Dispatch.Receiver.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var receiver = BackgroundProcess.Start(BackgroundProcess.Tidings("receive", port, $"--Storage:SqlitePath={Database}"));
        await receiver.Output.WaitForAsync($"Receiving webhooks on http://127.0.0.1:{port}/", TimeSpan.FromSeconds(90));
        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            (await http.PostAsync($"http://127.0.0.1:{port}/hook", new StringContent("x"), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        receiver.Signal(BackgroundProcess.SigInt);
        (await receiver.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, receiver.Output.Text);
        receiver.Output.Text.ShouldContain("POST /hook → 200");
        receiver.Output.Text.ShouldEndWith("Receiver stopped.\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
