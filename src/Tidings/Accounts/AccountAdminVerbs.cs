using Tidings.Hosting;

namespace Tidings.Accounts;

/// <summary>
/// <c>accounts list</c>, <c>accounts create &lt;name&gt;</c>, <c>tokens create &lt;accountId&gt; [--read-only] [--name N]</c>,
/// <c>tokens revoke &lt;tokenId&gt;</c>.
/// </summary>
internal sealed class AccountAdminVerbs : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["accounts", "tokens"];

    public IReadOnlyList<string> Usage { get; } =
        ["accounts list", "accounts create <name>", "tokens create <accountId> [--read-only] [--name <name>]", "tokens revoke <tokenId>"];

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var accounts = services.GetRequiredService<AccountService>();
        var verb = string.Join(' ', args.Take(2));
        switch (verb)
        {
            case "accounts list":
                foreach (var a in await accounts.ListAsync(CancellationToken.None)) Console.WriteLine($"{a.Id}\t{a.Name}");
                return 0;
            case "accounts create" when args.Length >= 3:
            {
                var (account, token) = await accounts.CreateAsync(args[2], CancellationToken.None);
                Console.WriteLine($"Account {account.Id} \"{account.Name}\" created. Read-write access token (shown only now):");
                Console.WriteLine(token.Token);
                return 0;
            }

            case "tokens create" when args.Length >= 3 && long.TryParse(args[2], out var accountId):
            {
                var readOnly = args.Contains("--read-only");
                var nameAt = Array.IndexOf(args, "--name");
                var name = nameAt > 0 && nameAt + 1 < args.Length ? args[nameAt + 1] : (readOnly ? "read-only" : "read-write");
                CreatedToken? token;
                try
                {
                    token = await accounts.CreateTokenAsync(accountId, name, canWrite: !readOnly, CancellationToken.None);
                }
                catch (Rejections.RequestRejectedException ex)
                {
                    Console.Error.WriteLine(ex.Message + ".");
                    return 2;
                }

                if (token is null)
                {
                    Console.Error.WriteLine($"No account {accountId}.");
                    return 1;
                }

                Console.WriteLine($"Token {token.TokenId} ({(readOnly ? "read-only" : "read-write")}) for account {accountId} (shown only now):");
                Console.WriteLine(token.Token);
                return 0;
            }

            case "tokens revoke" when args.Length >= 3 && long.TryParse(args[2], out var tokenId):
                var revoked = await accounts.RevokeTokenAsync(tokenId, CancellationToken.None);
                Console.WriteLine(revoked ? $"Token {tokenId} revoked." : $"No active token {tokenId}.");
                return revoked ? 0 : 1;
            default:
                Console.Error.WriteLine("Usage: " + string.Join(" | ", Usage));
                return 2;
        }
    }
}
