using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tidings.Backup;

/// <summary>
/// A consistent copy of a live SQLite database with SQLite's online backup API, a step of pages at a time so that a
/// large database shows its progress. The source connection holds one read transaction for the whole copy: in WAL
/// mode that is a fixed snapshot the server's writes go past, so the copy never restarts and is of one moment.
/// </summary>
internal static class SqliteOnlineCopy
{
    /// <summary>Pages per step: about 16 MiB with the default 4 KiB pages, a progress line every few seconds at most.</summary>
    private const int PagesPerStep = 4096;

    /// <summary>Copies <paramref name="source"/> to the new file <paramref name="destination"/>; returns the page count.</summary>
    public static long Run(string source, string destination, Action<long, long> progress)
    {
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        from.Open();
        to.Open();
        using var snapshot = from.BeginTransaction(deferred: true);
        using (var read = from.CreateCommand())
        {
            read.Transaction = snapshot;
            read.CommandText = "SELECT COUNT(*) FROM sqlite_schema"; // starts the read transaction: the snapshot is taken here
            read.ExecuteScalar();
        }

        var backup = raw.sqlite3_backup_init(to.Handle, "main", from.Handle, "main") ?? throw new SqliteException("sqlite3_backup_init failed", raw.sqlite3_errcode(to.Handle));
        int rc;
        long total;
        try
        {
            do
            {
                rc = raw.sqlite3_backup_step(backup, PagesPerStep);
                total = raw.sqlite3_backup_pagecount(backup);
                if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE)) break; // the destination is a new file of ours: no one else locks it
                progress(total - raw.sqlite3_backup_remaining(backup), total);
            }
            while (rc != raw.SQLITE_DONE);
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }

        if (rc != raw.SQLITE_DONE) throw new SqliteException($"The online backup failed: {raw.sqlite3_errstr(rc).utf8_to_string()}", rc);
        return total;
    }
}
