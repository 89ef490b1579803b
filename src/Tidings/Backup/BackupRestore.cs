using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Tidings.Events.Intake;
using Tidings.Hosting;
using Tidings.Storage;

namespace Tidings.Backup;

/// <summary>
/// <c>restore SRC [--force]</c>: puts a backup made by <c>backup</c> in place of the database and the intake log. It
/// holds the data folder's <see cref="ServerLock"/> while it works, so it refuses to run beside a server and no server
/// starts halfway through. The backup is copied next to the database first and checked there (every expected file,
/// <c>PRAGMA integrity_check</c>), so a damaged backup leaves the data folder as it was.
/// </summary>
internal sealed class BackupRestore(IOptions<StorageOptions> storage, IOptions<IntakeLogOptions> intake, ServerLock serverLock, ILogger<BackupRestore> logger)
{
    private const string Pending = ".restoring";

    public int Run(string source, bool force, TextWriter output, TextWriter error)
    {
        var options = storage.Value;
        if (options.Provider != StorageProvider.Sqlite)
        {
            error.WriteLine("Error: the restore command restores a SQLite backup. With PostgreSQL, restore a pg_dump with pg_restore; see docs/operations.md.");
            return 1;
        }

        source = Path.GetFullPath(source);
        if (Missing(source) is { } missing)
        {
            error.WriteLine($"Error: {source} is not a backup made by the backup command: {missing}.");
            return 1;
        }

        if (serverLock.TryAcquire() is { } locked)
        {
            error.WriteLine("Error: " + locked.Replace(" Command-line verbs may run beside it.", "", StringComparison.Ordinal) +
                " A backup is restored only while no server uses the data folder.");
            return 1;
        }

        try
        {
            return PutInPlace(source, force, output, error);
        }
        finally
        {
            serverLock.Dispose();
        }
    }

    private int PutInPlace(string source, bool force, TextWriter output, TextWriter error)
    {
        var database = Path.GetFullPath(storage.Value.SqlitePath);
        var intakeLog = JournalIntake.DirectoryOf(intake.Value, storage.Value);
        if (File.Exists(database) && !force)
        {
            error.WriteLine($"Error: there is a database at {database} already; restore with --force to replace it (and its intake log) with the backup.");
            return 1;
        }

        var pendingDatabase = database + Pending;
        var pendingIntake = intakeLog + Pending;
        Discard(pendingDatabase, pendingIntake);
        try
        {
            File.Copy(BackupLayout.Database(source), pendingDatabase);
            if (IntegrityProblem(pendingDatabase) is { } problem)
            {
                error.WriteLine($"Error: the backup's database {BackupLayout.Database(source)} is damaged ({problem}); nothing was changed.");
                return 1;
            }

            Directory.CreateDirectory(pendingIntake);
            foreach (var segment in Directory.EnumerateFiles(BackupLayout.Intake(source)))
            {
                File.Copy(segment, Path.Combine(pendingIntake, Path.GetFileName(segment)));
            }

            // A write-ahead log or journal left by the replaced database would be applied to the restored one.
            foreach (var suffix in new[] { "-wal", "-shm", "-journal" }) File.Delete(database + suffix);
            File.Move(pendingDatabase, database, overwrite: true);
            if (Directory.Exists(intakeLog)) Directory.Delete(intakeLog, recursive: true);
            Directory.Move(pendingIntake, intakeLog);
        }
        finally
        {
            Discard(pendingDatabase, pendingIntake);
        }

        logger.Restored(source, database, intakeLog);
        output.WriteLine($"Restored {source} to {database} and {intakeLog}.");
        output.WriteLine("Start the server: the events in the intake log become journal rows at its start. The secrets in the " +
            "backup need the master key that was in use when it was made.");
        return 0;
    }

    /// <summary>What a backup folder lacks, or null when every expected file is there.</summary>
    private static string? Missing(string backup)
    {
        if (!Directory.Exists(backup)) return "there is no such folder";
        if (!File.Exists(BackupLayout.Database(backup))) return $"{BackupLayout.DatabaseFile} is missing";
        if (!Directory.Exists(BackupLayout.Intake(backup))) return $"the {BackupLayout.IntakeFolder} folder is missing";
        var stray = Directory.EnumerateFileSystemEntries(BackupLayout.Intake(backup)).FirstOrDefault(f => !IsSegment(f));
        return stray is null ? null : $"{stray} is not an intake log segment";
    }

    private static bool IsSegment(string path) =>
        File.Exists(path) && Path.GetExtension(path) == IntakeSegments.Extension &&
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>Why SQLite finds the database damaged, or null when its integrity check passes.</summary>
    private static string? IntegrityProblem(string path)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            var findings = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) findings.Add(reader.GetString(0));
            }

            if (findings is not ["ok"]) return string.Join("; ", findings.Take(5));
            command.CommandText = "SELECT COUNT(*) FROM sqlite_schema";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0 ? "it holds no tables" : null;
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    private static void Discard(string pendingDatabase, string pendingIntake)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(pendingDatabase + suffix);
        if (Directory.Exists(pendingIntake)) Directory.Delete(pendingIntake, recursive: true);
    }
}
