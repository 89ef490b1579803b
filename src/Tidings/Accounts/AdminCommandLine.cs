using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>
/// A group of command-line verbs a feature offers operators (e.g. <c>accounts …</c>, <c>keys …</c>). Register with
/// <see cref="AdminCommandLine.AddAdminVerbs{T}"/>; <see cref="AdminCommandLine.RunAsync"/> dispatches on the first word.
/// </summary>
public interface IAdminVerbs
{
    /// <summary>The first words this group handles, e.g. <c>accounts</c> and <c>tokens</c>.</summary>
    IReadOnlyCollection<string> Verbs { get; }

    /// <summary>One usage line per verb, for the help text.</summary>
    IReadOnlyList<string> Usage { get; }

    /// <summary>Runs the verb (migrations have run); <paramref name="args"/> holds the words without <c>--Key=value</c> settings.</summary>
    Task<int> RunAsync(IServiceProvider services, string[] args);
}

/// <summary>
/// Runs a command-line verb instead of the server. Any first argument that is neither a flag nor a <c>Key=value</c>
/// setting is a verb; each feature registers its own verbs as an <see cref="IAdminVerbs"/>.
/// </summary>
public static class AdminCommandLine
{
    public static IServiceCollection AddAdminVerbs<T>(this IServiceCollection services)
        where T : class, IAdminVerbs => services.AddSingleton<IAdminVerbs, T>();

    public static bool IsAdminCommand(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal);

    /// <summary>
    /// The arguments meant for configuration. For a verb only <c>--Key=value</c> settings count: a flag such as
    /// <c>--read-only</c> would otherwise swallow the next argument as its value.
    /// </summary>
    public static string[] ConfigurationArguments(string[] args) =>
        IsAdminCommand(args) ? args.Where(IsSetting).ToArray() : args;

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        args = args.Where(a => !IsSetting(a)).ToArray();
        var groups = app.Services.GetServices<IAdminVerbs>().ToList();
        var group = groups.FirstOrDefault(g => g.Verbs.Contains(args[0], StringComparer.Ordinal));
        if (group is null)
        {
            Console.Error.WriteLine("Usage:");
            foreach (var line in groups.SelectMany(g => g.Usage)) Console.Error.WriteLine("  " + line);
            return 2;
        }

        await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        return await group.RunAsync(app.Services, args);
    }
}

/// <summary>
/// <c>accounts list</c>, <c>accounts create &lt;name&gt;</c>, <c>tokens create &lt;accountId&gt; [--read-only] [--name N]</c>,
/// <c>tokens revoke &lt;tokenId&gt;</c>.
/// </summary>
public sealed class AccountAdminVerbs : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["accounts", "tokens"];

    public IReadOnlyList<string> Usage { get; } =
        ["accounts list", "accounts create <name>", "tokens create <accountId> [--read-only] [--name <name>]", "tokens revoke <tokenId>"];

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var accounts = services.GetRequiredService<AccountStore>();
        var verb = string.Join(' ', args.Take(2));
        switch (verb)
        {
            case "accounts list":
                foreach (var a in await accounts.ListAccountsAsync()) Console.WriteLine($"{a.Id}\t{a.Name}");
                return 0;
            case "accounts create" when args.Length >= 3:
            {
                var account = await accounts.CreateAccountAsync(args[2]);
                var token = await accounts.CreateTokenAsync(account.Id, "default", canWrite: true);
                Console.WriteLine($"Account {account.Id} \"{account.Name}\" created. Read-write access token (shown only now):");
                Console.WriteLine(token.Token);
                return 0;
            }

            case "tokens create" when args.Length >= 3 && long.TryParse(args[2], out var accountId):
            {
                if (await accounts.FindAccountAsync(accountId) is null)
                {
                    Console.Error.WriteLine($"No account {accountId}.");
                    return 1;
                }

                var readOnly = args.Contains("--read-only");
                var nameAt = Array.IndexOf(args, "--name");
                var name = nameAt > 0 && nameAt + 1 < args.Length ? args[nameAt + 1] : (readOnly ? "read-only" : "read-write");
                var token = await accounts.CreateTokenAsync(accountId, name, canWrite: !readOnly);
                Console.WriteLine($"Token {token.TokenId} ({(readOnly ? "read-only" : "read-write")}) for account {accountId} (shown only now):");
                Console.WriteLine(token.Token);
                return 0;
            }

            case "tokens revoke" when args.Length >= 3 && long.TryParse(args[2], out var tokenId):
                var revoked = await accounts.RevokeTokenAsync(tokenId);
                Console.WriteLine(revoked ? $"Token {tokenId} revoked." : $"No active token {tokenId}.");
                return revoked ? 0 : 1;
            default:
                Console.Error.WriteLine("Usage: " + string.Join(" | ", Usage));
                return 2;
        }
    }
}
