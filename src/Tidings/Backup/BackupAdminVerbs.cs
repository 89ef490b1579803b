using Tidings.Hosting;

namespace Tidings.Backup;

/// <summary>
/// <c>backup DEST</c>: an online copy of the SQLite database and the intake log, beside the running server.
/// <c>restore SRC [--force]</c>: puts such a copy in place while no server runs. Neither migrates first: a backup is
/// taken as it is, and a restore must not find a database the command itself just created.
/// </summary>
internal sealed class BackupAdminVerbs : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["backup", "restore"];

    public IReadOnlyList<string> Usage { get; } = ["backup DEST", "restore SRC [--force]"];

    public bool MigratesFirst => false;

    public Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var force = args.Contains("--force", StringComparer.Ordinal);
        var words = args.Where(a => a != "--force").ToArray();
        var result = words switch
        {
            ["backup", var destination] when !force => services.GetRequiredService<OnlineBackup>().Run(destination, Console.Out, Console.Error),
            ["restore", var source] => services.GetRequiredService<BackupRestore>().Run(source, force, Console.Out, Console.Error),
            _ => PrintUsage(),
        };
        return Task.FromResult(result);
    }

    private int PrintUsage()
    {
        Console.Error.WriteLine("Usage: " + string.Join(" | ", Usage));
        return 2;
    }
}
