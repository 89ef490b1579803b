using System.Diagnostics;

namespace Tidings.Tests.Accounts;

/// <summary>Runs the real server executable with its command-line verbs against a fresh SQLite file.</summary>
public sealed class AdminCommandLineTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-cli-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Accounts_create_prints_a_token_that_tokens_create_and_accounts_list_can_follow()
    {
        var created = await RunAsync("accounts", "create", "Webshop");
        created.ExitCode.ShouldBe(0, created.Output);
        var token = created.Output.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.Length > 0);
        token.Length.ShouldBe(48);

        var list = await RunAsync("accounts", "list");
        list.Output.ShouldContain("Webshop");

        var readOnly = await RunAsync("tokens", "create", "1", "--read-only");
        readOnly.ExitCode.ShouldBe(0, readOnly.Output);
        readOnly.Output.ShouldContain("read-only");

        var revoke = await RunAsync("tokens", "revoke", "2");
        revoke.ExitCode.ShouldBe(0, revoke.Output);
        var again = await RunAsync("tokens", "revoke", "2");
        again.ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Tokens_create_for_an_unknown_account_fails()
    {
        var result = await RunAsync("tokens", "create", "42");
        result.ExitCode.ShouldBe(1);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        Tidings.Tests.Infrastructure.CommandLine.RunAsync(Path.Combine(_directory, "t.db"), [], args);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
