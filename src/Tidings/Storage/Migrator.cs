using System.Reflection;
using Dapper;

namespace Tidings.Storage;

/// <summary>
/// Applies the numbered SQL files under <c>Storage/Migrations/{provider}/</c> that the store has not seen yet, each in
/// its own transaction, and records them in <c>schema_migrations</c>. On PostgreSQL an advisory lock keeps two nodes
/// that start together from migrating at the same time.
/// </summary>
internal sealed class Migrator(IStorage storage, TimeProvider time, ILogger<Migrator> logger)
{
    private const long PostgresMigrationLock = 0x71D1_4653;

    public static IReadOnlyList<Migration> Available(StorageProvider provider)
    {
        var folder = provider == StorageProvider.Sqlite ? "sqlite" : "postgres";
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Storage.Migrations.{folder}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^4])
            .Select(name => new Migration(int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)]), name, Read(assembly, prefix + name + ".sql")))
            .OrderBy(m => m.Version)
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var provider = storage.Dialect.Provider;
        var applied = 0;
        await storage.WriteAsync(async w =>
        {
            if (provider == StorageProvider.Postgres)
            {
                await w.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresMigrationLock }, w.Transaction);
            }

            await w.Connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                transaction: w.Transaction);
            var done = (await w.Connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: w.Transaction)).ToHashSet();
            foreach (var migration in Available(provider).Where(m => !done.Contains(m.Version)))
            {
                logger.ApplyingMigration(migration.Name);
                await w.Connection.ExecuteAsync(migration.Sql, transaction: w.Transaction);
                await w.Connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = time.GetUtcNow().UtcDateTime.ToString("O") },
                    w.Transaction);
                applied++;
            }

            return applied;
        }, cancellationToken);
        return applied;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

internal sealed record Migration(int Version, string Name, string Sql);
