using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Journal;

/// <summary>
/// A fresh, migrated PostgreSQL database with the journal's own pieces (storage, horizon, reader) and no server around
/// them, so nothing else reads or writes the journal. Created only in the PostgreSQL pass of the suite.
/// </summary>
public sealed class JournalDatabase : IAsyncLifetime
{
    public const string PostgresPassOnly = "Runs in the PostgreSQL pass: it tests appends without a lock and the watermark, which exist on PostgreSQL only.";

    private string? _name;
    private PostgresStorage? _storage;

    public string ConnectionString { get; private set; } = "";

    internal IStorage Storage => _storage!;

    internal JournalHorizon Horizon { get; private set; } = null!;

    internal JournalReader Reader { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!TidingsApp.SuiteOnPostgres) return;
        var admin = TestDatabases.RequirePostgres();
        (_name, ConnectionString) = await TestDatabases.CreatePostgresDatabaseAsync(admin);
        ConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 40 }.ConnectionString;
        _storage = new PostgresStorage(Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, PostgresConnectionString = ConnectionString }));
        await new Migrator(_storage, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        Horizon = NewHorizon();
        Reader = new JournalReader(_storage, Horizon);
    }

    /// <summary>A reader with a watermark of its own (a second node's view of the same journal).</summary>
    internal JournalReader NewReader() => new(Storage, NewHorizon());

    internal JournalHorizon NewHorizon() => new(Storage, Options.Create(new JournalHorizonOptions()), TimeProvider.System);

    /// <summary>Appends rows in one transaction through the real append path; rolls back instead of committing when asked.</summary>
    internal Task AppendAsync(int rows, string type = "test.a", Func<Task>? beforeCommit = null, bool rollBack = false) =>
        Storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            await using var inserter = JournalInserter.Create(w);
            for (var i = 0; i < rows; i++) await inserter.InsertAsync(1, type, 1_700_000_000_000, "{}", null, null, null);
            if (beforeCommit is not null) await beforeCommit();
            if (rollBack) throw new RolledBack();
            return 0;
        });

    public async ValueTask DisposeAsync()
    {
        if (_storage is not null) await _storage.DisposeAsync();
        if (_name is not null && TestDatabases.PostgresAdminConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropPostgresDatabaseAsync(admin, _name);
        }
    }

    /// <summary>Thrown inside a transaction to roll it back.</summary>
    internal sealed class RolledBack : Exception;
}
