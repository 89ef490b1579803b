using Microsoft.Extensions.Options;
using Tidings.Events.Intake;
using Tidings.Storage;

namespace Tidings.Backup;

/// <summary>
/// <c>backup DEST</c>: the SQLite database and the journal's intake log, copied while the server runs, into a new
/// folder (see <see cref="BackupLayout"/>). The intake log is copied first and the database second: the journal
/// deletes a segment only after its events are committed rows, so whatever the log copy misses is in the database copy.
/// </summary>
internal sealed class OnlineBackup(IOptions<StorageOptions> storage, IOptions<IntakeLogOptions> intake, ILogger<OnlineBackup> logger)
{
    public int Run(string destination, TextWriter output, TextWriter error)
    {
        var options = storage.Value;
        if (options.Provider != StorageProvider.Sqlite)
        {
            error.WriteLine("Error: the backup command copies a SQLite data folder. With PostgreSQL, back up with pg_dump " +
                "(pg_dump --format=custom --file=tidings.dump <database>) and restore with pg_restore; see docs/operations.md.");
            return 1;
        }

        var database = Path.GetFullPath(options.SqlitePath);
        if (!File.Exists(database))
        {
            error.WriteLine($"Error: there is no database at {database} (Storage:SqlitePath).");
            return 1;
        }

        destination = Path.GetFullPath(destination);
        if (File.Exists(destination) || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any()))
        {
            error.WriteLine($"Error: {destination} exists and is not an empty folder; give a new folder for the backup.");
            return 1;
        }

        // The database holds the accounts' data: only the server's user may read a new backup folder, as the data folder.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(destination);
        else Directory.CreateDirectory(destination, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var log = IntakeLogCopy.Run(JournalIntake.DirectoryOf(intake.Value, options), BackupLayout.Intake(destination));
        output.WriteLine($"Intake log: {log.Segments} segment(s), {log.Bytes} bytes copied");

        var lastShown = -1L;
        var pages = SqliteOnlineCopy.Run(database, BackupLayout.Database(destination), (copied, total) =>
        {
            if (copied == lastShown) return;
            lastShown = copied;
            output.WriteLine($"Database: {copied} of {total} pages copied ({(total == 0 ? 100 : copied * 100 / total)}%)");
        });

        logger.BackupWritten(destination, pages, log.Segments, log.Bytes);
        output.WriteLine($"Backup written to {destination}.");
        output.WriteLine("The master key is not in the backup: back it up apart from these backups (data/master.key by " +
            "default, or Secrets:MasterKeys). Without it the webhook secrets and signing keys in a backup cannot be read; " +
            "stored beside the backup, it would protect them no better than plain text.");
        return 0;
    }
}
