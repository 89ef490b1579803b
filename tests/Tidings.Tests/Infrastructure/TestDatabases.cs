using Npgsql;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// Fresh PostgreSQL databases for tests. <c>TIDINGS_TEST_POSTGRES</c> holds an admin connection string; each fixture
/// gets its own uniquely named database, dropped again when the fixture is disposed.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "TIDINGS_TEST_POSTGRES";

    public static string? PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>True on a CI machine (most CI systems set <c>CI=true</c>).</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Skips the calling test when no PostgreSQL is configured on a developer machine; fails it in CI, where a skip
    /// would silently hide a missing dependency and the PostgreSQL provider would go untested.
    /// </summary>
    public static string RequirePostgres()
    {
        if (PostgresAdminConnectionString is { } admin) return admin;
        if (InCi) Assert.Fail($"CI=true but {PostgresVariable} is not set: the PostgreSQL tests must run in CI.");
        Assert.Skip($"{PostgresVariable} is not set (an admin connection string to a PostgreSQL server).");
        return "";
    }

    /// <summary>Creates a uniquely named database and returns a connection string to it.</summary>
    public static async Task<(string Name, string ConnectionString)> CreatePostgresDatabaseAsync(string admin)
    {
        var name = "tidings_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        // No pooling for the test database itself would slow tests down; keep Npgsql's pool but small.
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 20 };
        return (name, builder.ConnectionString);
    }

    public static async Task DropPostgresDatabaseAsync(string admin, string name)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        // FORCE ends sessions still open in pools the app has not cleared yet.
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
