using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.SecretProtection;

/// <summary>
/// One store that servers with different master key settings start on in turn: a SQLite file, or a fresh PostgreSQL
/// database when the suite runs on PostgreSQL. The key file lives in the store's folder unless a test says otherwise.
/// </summary>
public sealed class SharedStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
    private string? _database;
    private string? _connectionString;

    private SharedStore()
    {
    }

    public string KeyFile => Path.Combine(_directory, "master.key");

    public static async Task<SharedStore> CreateAsync()
    {
        var store = new SharedStore();
        Directory.CreateDirectory(store._directory);
        if (TidingsApp.SuiteOnPostgres)
        {
            (store._database, store._connectionString) = await TestDatabases.CreatePostgresDatabaseAsync(TestDatabases.RequirePostgres());
        }

        return store;
    }

    /// <summary>A random master key, as <c>openssl rand -base64 32</c> makes one.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A server on this store with these settings added, not started yet.</summary>
    public StoreApp App(params (string Key, string Value)[] settings) => App(null, settings);

    /// <summary>A server on this store with these settings added, logging into <paramref name="logs"/>, not started yet.</summary>
    public StoreApp App(LogCapture? logs, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Secrets:MasterKeyFile"] = KeyFile };
        if (_connectionString is null)
        {
            all["Storage:Provider"] = "Sqlite";
            all["Storage:SqlitePath"] = Path.Combine(_directory, "tidings.db");
        }
        else
        {
            all["Storage:Provider"] = "Postgres";
            all["Storage:PostgresConnectionString"] = _connectionString;
        }

        foreach (var (key, value) in settings) all[key] = value;
        return new StoreApp(all, logs);
    }

    /// <summary>A started server on this store.</summary>
    public Task<StoreApp> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>A started server on this store, logging into <paramref name="logs"/>.</summary>
    public async Task<StoreApp> StartAsync(LogCapture? logs, params (string Key, string Value)[] settings)
    {
        var app = App(logs, settings);
        await app.InitializeAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null && TestDatabases.PostgresAdminConnectionString is { } admin)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropPostgresDatabaseAsync(admin, _database);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A server on a <see cref="SharedStore"/>.</summary>
public sealed class StoreApp(IReadOnlyDictionary<string, string?> settings, LogCapture? logs = null) : TidingsApp
{
    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => settings;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (logs is not null) builder.ConfigureLogging(l => l.AddProvider(logs));
    }
}
