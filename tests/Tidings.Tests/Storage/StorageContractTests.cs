using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Profiles;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Storage;

/// <summary>
/// What every storage provider must do, written once and run against each (see the concrete subclasses): the same
/// behaviour on the embedded SQLite store and on PostgreSQL is what lets operators switch between them.
/// </summary>
public abstract partial class StorageContractTests(TidingsApp fixture)
{
    /// <summary>The fixture, after skipping (or, in CI, failing) the test when its store is not available.</summary>
    protected TidingsApp App
    {
        get
        {
            fixture.EnsureAvailable();
            return fixture;
        }
    }

    private protected IStorage Storage => App.Services.GetRequiredService<IStorage>();

    protected T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string Unique(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Migrations_are_recorded_by_version_and_a_second_run_applies_none()
    {
        var migrator = Get<Migrator>();
        (await migrator.MigrateAsync(Ct)).ShouldBe(0);
        (await migrator.MigrateAsync(Ct)).ShouldBe(0);

        await using var c = await Storage.OpenReadAsync(Ct);
        var recorded = (await c.QueryAsync<(long Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version")).ToList();
        var available = Migrator.Available(Storage.Dialect.Provider);
        available.ShouldNotBeEmpty();
        recorded.Select(r => r.Version).ShouldBe(available.Select(m => (long)m.Version));
        recorded.Select(r => r.Name).ShouldBe(available.Select(m => m.Name));
    }

    [Fact]
    public async Task A_failing_unit_of_work_rolls_back_completely_while_concurrent_neighbours_commit()
    {
        var table = Unique("scratch");
        await Storage.WriteAsync(w => w.Connection.ExecuteAsync($"CREATE TABLE {table} (n {Storage.Dialect.IntegerType} NOT NULL)", transaction: w.Transaction), Ct);

        // Many writes at once, so the SQLite provider puts several of them in one group-commit batch.
        var writes = Enumerable.Range(1, 60).Select(n => Storage.WriteAsync(async w =>
        {
            await w.Connection.ExecuteAsync($"INSERT INTO {table} (n) VALUES (@n)", new { n }, w.Transaction);
            await w.Connection.ExecuteAsync($"INSERT INTO {table} (n) VALUES (@n)", new { n = n + 1000 }, w.Transaction);
            if (n % 4 == 0) throw new InvalidOperationException("unit " + n + " fails");
            return n;
        }, Ct)).ToList();

        foreach (var (write, n) in writes.Select((t, i) => (t, i + 1)))
        {
            if (n % 4 == 0) (await Should.ThrowAsync<InvalidOperationException>(write)).Message.ShouldBe("unit " + n + " fails");
            else (await write).ShouldBe(n);
        }

        await using var c = await Storage.OpenReadAsync(Ct);
        var stored = (await c.QueryAsync<long>($"SELECT n FROM {table} ORDER BY n")).ToList();
        var expected = Enumerable.Range(1, 60).Where(n => n % 4 != 0).SelectMany(n => new long[] { n, n + 1000 }).Order().ToList();
        stored.ShouldBe(expected);
    }

    [Fact]
    public async Task A_failed_schema_change_leaves_no_table_behind()
    {
        var table = Unique("ddl");
        var storage = Storage; // outside the lambda, so a skip is not taken for the expected exception
        await Should.ThrowAsync<InvalidOperationException>(() => storage.WriteAsync<int>(async w =>
        {
            await w.Connection.ExecuteAsync($"CREATE TABLE {table} (n {storage.Dialect.IntegerType})", transaction: w.Transaction);
            throw new InvalidOperationException("after DDL");
        }, Ct));

        (await TableExistsAsync(table)).ShouldBeFalse();
    }

    [Fact]
    public async Task Creating_a_database_and_a_collection_creates_their_value_tables()
    {
        var accountId = await NewAccountAsync();
        var databases = Get<DatabaseStore>();
        var databaseId = await databases.CreateDatabaseAsync(accountId, Unique("Shop"), "customers", archived: true, Ct);
        var database = (await databases.FindDatabaseAsync(accountId, databaseId.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!;
        database.Archived.ShouldBeTrue();
        database.Description.ShouldBe("customers");
        var collectionId = await databases.CreateCollectionAsync(database, "Orders", "", Ct);

        (await TableExistsAsync(ProfileTables.ForDatabase(databaseId))).ShouldBeTrue();
        (await TableExistsAsync(ProfileTables.ForCollection(collectionId))).ShouldBeTrue();
        (await databases.ListCollectionsAsync(databaseId, Ct)).Select(c => c.Id).ShouldBe([collectionId]);
    }

    protected async Task<long> NewAccountAsync() => (await App.NewAccountAsync(Unique("Account"))).AccountId;

    private protected async Task<DatabaseRecord> NewDatabaseAsync(long accountId, params (string Name, string Type)[] fields)
    {
        var databases = Get<DatabaseStore>();
        var id = await databases.CreateDatabaseAsync(accountId, Unique("Db"), "", archived: false, Ct);
        foreach (var (name, type) in fields)
        {
            await Get<FieldStore>().CreateAsync(accountId, id, 0, new FieldSpec(name, type, null, null, null, null, null, null, null, null), Ct);
        }

        return (await databases.FindDatabaseAsync(accountId, id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!;
    }

    private protected async Task<long> NewProfileAsync(DatabaseRecord database, JsonObject fields) =>
        await Get<ProfileStore>().CreateAsync(database, fields, null, "test", Ct);

    protected async Task<bool> TableExistsAsync(string table)
    {
        await using var c = await Storage.OpenReadAsync(Ct);
        var sql = Storage.Dialect.Provider == StorageProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";
        return await c.ExecuteScalarAsync<long>(sql, new { table }) > 0;
    }

    protected async Task<bool> IndexExistsAsync(string index)
    {
        await using var c = await Storage.OpenReadAsync(Ct);
        var sql = Storage.Dialect.Provider == StorageProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @index"
            : "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @index";
        return await c.ExecuteScalarAsync<long>(sql, new { index }) > 0;
    }
}
