namespace Tidings.Tests.Infrastructure;

/// <summary>A Tidings server on a given SQLite file, so that a test can stop it and start another on the same data.</summary>
public sealed class FixedPathTidingsApp(string sqlitePath) : TidingsApp
{
    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:SqlitePath"] = sqlitePath,
    };
}
