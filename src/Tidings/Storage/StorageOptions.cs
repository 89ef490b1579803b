using System.ComponentModel.DataAnnotations;

namespace Tidings.Storage;

/// <summary>Where Tidings keeps its data. Bound from the <c>Storage</c> configuration section.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (embedded default, one machine) or <c>Postgres</c> (shared by several Tidings nodes).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite database file; relative paths are resolved against the working directory.</summary>
    [Required, MinLength(1)]
    public string SqlitePath { get; set; } = "data/tidings.db";

    /// <summary>
    /// SQLite <c>synchronous</c> pragma. <c>Normal</c> (default) survives a crash of the Tidings process without losing
    /// acknowledged writes; <c>Full</c> also survives a power loss of the machine, at a cost in write throughput.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>Npgsql connection string, used when <see cref="Provider"/> is <c>Postgres</c>.</summary>
    public string PostgresConnectionString { get; set; } = "";

    /// <summary>
    /// Most connections this node opens to PostgreSQL (Npgsql's <c>Maximum Pool Size</c>), unless the connection string
    /// names one itself. All nodes together, plus administration and backups, must stay below the server's
    /// <c>max_connections</c>.
    /// </summary>
    [Range(2, 10_000)]
    public int PostgresPoolSize { get; set; } = 50;

    /// <summary>Most write operations the SQLite writer commits in one transaction (group commit).</summary>
    [Range(1, 100_000)]
    public int MaxWriteBatch { get; set; } = 256;

    /// <summary>Most write operations waiting for the SQLite writer; callers wait (back-pressure) beyond this.</summary>
    [Range(1, 10_000_000)]
    public int WriteQueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Most read connections that long streaming reads (log-file downloads, a page at a time) hold at once; the rest of
    /// the readers stay free for normal requests. On PostgreSQL keep it well below the pool's <c>Maximum Pool Size</c>.
    /// </summary>
    [Range(1, 1000)]
    public int StreamingReadConnections { get; set; } = 4;

    /// <summary>Longest a streaming read waits for one of <see cref="StreamingReadConnections"/> before it is refused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StreamingReadWait { get; set; } = TimeSpan.FromSeconds(5);
}

internal enum StorageProvider { Sqlite, Postgres }

internal enum SqliteSynchronous { Normal, Full }
