using Tidings.Hosting;
using Tidings.Rejections;

namespace Tidings.Users;

/// <summary>
/// <c>users create &lt;accountId&gt; &lt;email&gt; --role admin|editor|read-only [--password-stdin]</c> and
/// <c>users list &lt;accountId&gt;</c>.
/// </summary>
internal sealed class UserAdminVerbs : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["users"];

    public IReadOnlyList<string> Usage { get; } =
        ["users create <accountId> <email> --role admin|editor|read-only [--password-stdin]", "users list <accountId>"];

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var users = services.GetRequiredService<UserService>();
        var verb = string.Join(' ', args.Take(2));
        try
        {
            switch (verb)
            {
                case "users create" when args.Length >= 4 && long.TryParse(args[2], out var accountId):
                    return await CreateAsync(users, accountId, args[3], args[4..]);
                case "users list" when args.Length == 3 && long.TryParse(args[2], out var accountId):
                    foreach (var u in await users.ListAsync(accountId, CancellationToken.None))
                        Console.WriteLine($"{u.Id}\t{u.Email}\t{u.Role.Name()}{(u.MustChangePassword ? "\tmust change password" : "")}");
                    return 0;
                default:
                    Console.Error.WriteLine("Usage: " + string.Join(" | ", Usage));
                    return 2;
            }
        }
        catch (RequestRejectedException ex)
        {
            Console.Error.WriteLine(ex.Message + ".");
            return 1;
        }
    }

    private static async Task<int> CreateAsync(UserService users, long accountId, string email, string[] rest)
    {
        var roleAt = Array.IndexOf(rest, "--role");
        if (roleAt < 0 || roleAt + 1 >= rest.Length || !UserRoles.TryParse(rest[roleAt + 1], out var role))
        {
            Console.Error.WriteLine("Give the role: --role " + string.Join('|', UserRoles.Names));
            return 2;
        }

        var unknown = rest.Where((a, i) => i != roleAt && i != roleAt + 1 && a != "--password-stdin").ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown argument '{unknown[0]}'.");
            return 2;
        }

        // A password from stdin (one line) is the user's own; without it, a one-time password is printed.
        var password = rest.Contains("--password-stdin") ? Console.In.ReadLine() ?? "" : null;
        var (user, oneTime) = await users.CreateAsync(accountId, email, role, password, CancellationToken.None);
        Console.WriteLine($"User {user.Id} {user.Email} ({role.Name()}) created in account {accountId}.");
        if (oneTime is not null)
        {
            Console.WriteLine("One-time password (shown only now; a new one must be set at the first sign-in):");
            Console.WriteLine(oneTime);
        }

        return 0;
    }
}
