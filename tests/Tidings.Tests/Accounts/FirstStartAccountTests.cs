using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Hosting;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Accounts;

/// <summary>
/// The account the very first start creates, and how its token reaches the operator: on a terminal, printed; otherwise
/// (a journal, <c>docker logs</c>) only the path of a file only the server's user can read. (The redirected case as a
/// real process: <c>ServerProcessTests</c>.)
/// </summary>
public sealed class FirstStartAccountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A first start on Kestrel (a real address to show), whose console is a terminal or not.</summary>
    private sealed class FirstStartApp(bool terminal) : TidingsApp
    {
        public StringWriter Console { get; } = new();

        public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));

        protected override bool FollowsSuiteProvider => false;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Storage:SqlitePath"] = Path.Combine(DataFolder, "tidings.db"),
            ["Accounts:CreateDefaultAccount"] = "true",
            ["Accounts:DefaultAccountName"] = "Shop",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton(new OperatorConsole { IsTerminal = terminal, Out = Console }));
        }

        public override ValueTask InitializeAsync()
        {
            UseKestrel(0);
            StartServer();
            return ValueTask.CompletedTask;
        }

        public string Address => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task On_a_terminal_the_token_is_printed_once_with_a_curl_line_for_the_address_listened_on()
    {
        await using var app = new FirstStartApp(terminal: true);
        await app.InitializeAsync();

        var lines = app.Console.ToString().Split('\n', StringSplitOptions.TrimEntries);
        lines.ShouldContain("Account 1 \"Shop\" created. Its read-write access token (shown only now):");
        var token = lines[Array.IndexOf(lines, "Account 1 \"Shop\" created. Its read-write access token (shown only now):") + 2];
        token.Length.ShouldBe(48);
        app.Address.ShouldNotEndWith(":5080");
        lines.ShouldContain($"Try: curl '{app.Address}/v3/identity?access_token={token}'");
        File.Exists(Path.Combine(app.DataFolder, "first-access-token")).ShouldBeFalse();

        using var http = new HttpClient();
        (await http.GetAsync($"{app.Address}/v3/identity?access_token={token}", Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Not_on_a_terminal_the_token_is_written_to_an_owner_only_file_and_only_its_path_is_printed()
    {
        await using var app = new FirstStartApp(terminal: false);
        await app.InitializeAsync();

        var file = Path.Combine(app.DataFolder, "first-access-token");
        var token = File.ReadAllText(file).Trim();
        token.Length.ShouldBe(48);
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var printed = app.Console.ToString();
        printed.ShouldNotContain(token);
        var lines = printed.Split('\n', StringSplitOptions.TrimEntries);
        lines.ShouldContain(file);
        lines.ShouldContain($"Try: curl \"{app.Address}/v3/identity?access_token=$(cat '{file}')\"");

        using var http = new HttpClient();
        (await http.GetAsync($"{app.Address}/v3/identity?access_token={token}", Ct)).EnsureSuccessStatusCode();
    }
}
