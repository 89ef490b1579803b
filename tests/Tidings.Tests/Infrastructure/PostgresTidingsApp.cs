using Npgsql;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// The real Tidings server in-process on its own fresh PostgreSQL database. Without <c>TIDINGS_TEST_POSTGRES</c> the
/// server is not started; tests call <see cref="EnsureAvailable"/> first, which skips them (or fails them in CI).
/// </summary>
public sealed class PostgresTidingsApp : TidingsApp
{
    protected override bool FollowsSuiteProvider => false;

    private string? _database;
    private string? _connectionString;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:PostgresConnectionString"] = _connectionString,
        ["Secrets:MasterKeyFile"] = MasterKeyFile,
    };

    public override async ValueTask InitializeAsync()
    {
        if (TestDatabases.PostgresAdminConnectionString is not { } admin) return;
        (_database, _connectionString) = await TestDatabases.CreatePostgresDatabaseAsync(admin);
        await base.InitializeAsync();
    }

    public override void EnsureAvailable() => TestDatabases.RequirePostgres();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && TestDatabases.PostgresAdminConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropPostgresDatabaseAsync(admin, _database);
        }
    }
}
