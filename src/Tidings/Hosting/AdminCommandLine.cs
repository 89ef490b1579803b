using Tidings.Storage;

namespace Tidings.Hosting;

/// <summary>
/// A group of command-line verbs a feature offers operators (e.g. <c>accounts …</c>, <c>keys …</c>). Register with
/// <see cref="AdminCommandLine.AddAdminVerbs{T}"/>; <see cref="AdminCommandLine.RunAsync"/> dispatches on the first word.
/// </summary>
internal interface IAdminVerbs
{
    /// <summary>The first words this group handles, e.g. <c>accounts</c> and <c>tokens</c>.</summary>
    IReadOnlyCollection<string> Verbs { get; }

    /// <summary>One usage line per verb, for the help text.</summary>
    IReadOnlyList<string> Usage { get; }

    /// <summary>Runs the verb (migrations have run); <paramref name="args"/> holds the words without <c>--Key=value</c> settings.</summary>
    Task<int> RunAsync(IServiceProvider services, string[] args);

    /// <summary>Whether the store is migrated before the verb runs; false for verbs that must not create a database (restore).</summary>
    bool MigratesFirst => true;
}

/// <summary>What the command line asks for.</summary>
internal enum CommandLineRequest
{
    /// <summary>Start the server; every argument is a configuration switch (<c>--Key=Value</c> or <c>--Key Value</c>).</summary>
    Server,

    /// <summary>Run an operator verb (<c>accounts list</c>, …) instead of the server.</summary>
    Verb,

    /// <summary>Print the usage and exit 2: <c>--help</c>, <c>-h</c>, or anything that is neither a verb nor settings.</summary>
    Usage,

    /// <summary>Print the version and exit.</summary>
    Version,
}

/// <summary>
/// Reads the command line: a first argument that is a word is a verb (each feature registers its own as an
/// <see cref="IAdminVerbs"/>); otherwise every argument must be a configuration switch, and anything else prints the
/// usage rather than starting a server that ignores it.
/// </summary>
internal static class AdminCommandLine
{
    public static IServiceCollection AddAdminVerbs<T>(this IServiceCollection services)
        where T : class, IAdminVerbs => services.AddSingleton<IAdminVerbs, T>();

    internal static CommandLineRequest Parse(string[] args)
    {
        if (args.Length == 0) return CommandLineRequest.Server;
        var first = args[0];
        if (first == "--version") return CommandLineRequest.Version;
        if (first.StartsWith('-') || first.StartsWith('/') || first.Contains('=', StringComparison.Ordinal))
        {
            return AreSettings(args) ? CommandLineRequest.Server : CommandLineRequest.Usage;
        }

        return CommandLineRequest.Verb;
    }

    public static bool IsAdminCommand(string[] args) => Parse(args) == CommandLineRequest.Verb;

    /// <summary>
    /// The arguments meant for configuration. For a verb only <c>--Key=value</c> settings count: a flag such as
    /// <c>--read-only</c> would otherwise swallow the next argument as its value. For the usage and the version none.
    /// </summary>
    public static string[] ConfigurationArguments(string[] args) => Parse(args) switch
    {
        CommandLineRequest.Server => args,
        CommandLineRequest.Verb => args.Where(IsSetting).ToArray(),
        _ => [],
    };

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);

    /// <summary>Whether every argument is <c>--Key=Value</c> or <c>--Key</c> followed by its value.</summary>
    private static bool AreSettings(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return false;
            var equals = args[i].IndexOf('=', StringComparison.Ordinal);
            if (!IsKey(equals < 0 ? args[i][2..] : args[i][2..equals])) return false;
            if (equals >= 0) continue;
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return false;
            i++;
        }

        return true;
    }

    /// <summary>A configuration key (<c>Storage:SqlitePath</c>, <c>urls</c>), but not a flag someone meant as a question.</summary>
    private static bool IsKey(string key) =>
        key.Length > 0 && char.IsAsciiLetter(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '.' or '-') &&
        !key.Equals("help", StringComparison.OrdinalIgnoreCase) && !key.Equals("version", StringComparison.OrdinalIgnoreCase);

    /// <summary>The usage on standard error; returns the exit code 2.</summary>
    internal static int PrintUsage(IServiceProvider services)
    {
        var error = Console.Error;
        error.WriteLine("Usage:");
        error.WriteLine("  Tidings [--Key=Value | --Key Value]...    start the server (settings: docs/configuration.md, e.g. --urls http://127.0.0.1:5080)");
        error.WriteLine("  Tidings <verb> ... [--Key=Value]...       run an operator command with the server's settings instead");
        error.WriteLine("  Tidings --version");
        error.WriteLine("Verbs:");
        foreach (var line in services.GetServices<IAdminVerbs>().SelectMany(g => g.Usage)) error.WriteLine("  " + line);
        return 2;
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        args = args.Where(a => !IsSetting(a)).ToArray();
        var group = app.Services.GetServices<IAdminVerbs>().FirstOrDefault(g => g.Verbs.Contains(args[0], StringComparer.Ordinal));
        if (group is null) return PrintUsage(app.Services);

        if (group.MigratesFirst) await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        return await group.RunAsync(app.Services, args);
    }
}
