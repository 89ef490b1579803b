using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.Hosting;

/// <summary>
/// One server per SQLite data folder: the server holds <c>server.lock</c> there with an exclusive OS lock (flock on
/// Linux, a share mode on Windows) for as long as it runs; the OS releases it however the process ends, so a crash
/// leaves nothing to clean up. Two servers on one database would both deliver every webhook. Command-line verbs do not
/// take it: they are meant to run beside the server.
/// </summary>
internal sealed class ServerLock(IOptions<StorageOptions> storage) : IDisposable
{
    public const string FileName = "server.lock";

    private FileStream? _held;

    public string Path => System.IO.Path.Combine(DataFolder.Of(storage.Value), FileName);

    /// <summary>Takes the lock (SQLite only). Returns null when held, or why it cannot be.</summary>
    public string? TryAcquire()
    {
        if (storage.Value.Provider != StorageProvider.Sqlite || _held is not null) return null;
        var folder = DataFolder.Of(storage.Value);
        try
        {
            Directory.CreateDirectory(folder);
            _held = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(Path))
        {
            return $"Another Tidings server is already running on the data folder {folder} (it holds {Path}). " +
                "Stop it first, or give this server its own Storage:SqlitePath. Command-line verbs may run beside it.";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"Cannot create {Path} in the data folder (Storage:SqlitePath): {ex.Message}";
        }

        // For an operator wondering which process holds it.
        _held.SetLength(0);
        using (var writer = new StreamWriter(_held, leaveOpen: true)) writer.WriteLine(Environment.ProcessId);
        _held.Flush();
        return null;
    }

    /// <summary>Releases the lock. The file stays: removing it could race with a server that is just opening it.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _held, null)?.Dispose();
    }
}
