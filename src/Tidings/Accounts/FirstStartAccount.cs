using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Tidings.Hosting;
using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>
/// On the very first start (no accounts yet) creates an account with a read-write token and hands the token over once:
/// printed when standard output is a terminal; otherwise (a service manager's journal, <c>docker logs</c>) written to
/// a file in the data folder that only the server's user can read, and only that file's path is printed. The banner
/// shows the address the server actually listens on.
/// </summary>
internal sealed partial class FirstStartAccount(
    AccountService accounts, IOptions<AccountsOptions> options, IOptions<StorageOptions> storage, OperatorConsole console, IServer server,
    ILogger<FirstStartAccount> logger) : IHostedLifecycleService
{
    public const string TokenFileName = "first-access-token";

    /// <summary>
    /// Once everything has started and the server listens: the banner can show where, and a start that fails on the way
    /// leaves no account whose token nobody saw (the next start makes it then).
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateDefaultAccount || await accounts.CountAsync(cancellationToken) > 0) return;
        var (account, created) = await accounts.CreateAsync(options.Value.DefaultAccountName, cancellationToken);
        var token = created.Token;
        LogCreated(account.Id, account.Name);
        var identity = ListenAddress().TrimEnd('/') + "/v3/identity?access_token=";
        var output = console.Out;
        output.WriteLine();
        if (console.IsTerminal)
        {
            output.WriteLine($"  Account {account.Id} \"{account.Name}\" created. Its read-write access token (shown only now):");
            output.WriteLine();
            output.WriteLine($"    {token}");
            output.WriteLine();
            output.WriteLine($"  Try: curl '{identity}{token}'");
        }
        else
        {
            var file = WriteTokenFile(token);
            LogTokenFile(file);
            output.WriteLine($"  Account {account.Id} \"{account.Name}\" created. Standard output is not a terminal, so its read-write access token is not");
            output.WriteLine("  shown here but was written to this file, readable only by this user (delete it once the token is kept elsewhere):");
            output.WriteLine();
            output.WriteLine($"    {file}");
            output.WriteLine();
            output.WriteLine($"  Try: curl \"{identity}$(cat '{file}')\"");
        }

        output.WriteLine();
        output.Flush();
    }

    /// <summary>The first address the server listens on, a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) as 127.0.0.1.</summary>
    private string ListenAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http:", StringComparison.OrdinalIgnoreCase))
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1";
        return WildcardHost().Replace(address, "${scheme}127.0.0.1", 1);
    }

    /// <summary>Written aside with owner-only permissions and renamed into place: never readable by others, not even briefly.</summary>
    private string WriteTokenFile(string token)
    {
        var folder = DataFolder.Of(storage.Value);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, TokenFileName);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, create))
            using (var writer = new StreamWriter(stream))
            {
                writer.WriteLine(token);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Created account {AccountId} ({Name}) on first start")]
    private partial void LogCreated(long accountId, string name);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The first account's access token is in {Path} (readable only by this user); delete the file once the token is kept elsewhere")]
    private partial void LogTokenFile(string path);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<scheme>[a-z]+://)(?:0\.0\.0\.0|\[::\]|\+|\*)(?=[:/]|$)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex WildcardHost();
}
