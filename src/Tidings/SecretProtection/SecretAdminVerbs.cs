using Tidings.Hosting;

namespace Tidings.SecretProtection;

/// <summary>
/// <c>secrets status</c>: stored secrets per master key (to see that none is left under a key before removing it).
/// <c>secrets reencrypt</c>: encrypts every stored secret with the primary key, bound to its row.
/// </summary>
internal sealed class SecretAdminVerbs : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["secrets"];

    public IReadOnlyList<string> Usage { get; } = ["secrets status", "secrets reencrypt"];

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var sweep = services.GetRequiredService<SecretColumnSweep>();
        var protector = services.GetRequiredService<ISecretProtector>();
        var verb = string.Join(' ', args.Take(2));
        if (verb is not ("secrets status" or "secrets reencrypt"))
        {
            Console.Error.WriteLine("Usage: " + string.Join(" | ", Usage));
            return 2;
        }

        if (verb == "secrets reencrypt")
        {
            foreach (var result in await sweep.RunAsync(SecretSweepMode.Reencrypt))
            {
                Console.WriteLine($"{result.Purpose}: {result.Rewritten} value(s) re-encrypted with master key {protector.PrimaryKeyId}");
            }
        }

        // The state as it is now, also after re-encrypting.
        var results = await sweep.RunAsync(SecretSweepMode.Check);
        Console.WriteLine($"Primary master key: {protector.PrimaryKeyId}");
        foreach (var result in results) Console.WriteLine(SecretSweepReport.Line(result, protector.PrimaryKeyId));
        if (results.All(r => r.Unreadable.Count == 0)) return 0;
        Console.Error.WriteLine("Error: " + SecretSweepReport.Unreadable(results));
        return 1;
    }
}
