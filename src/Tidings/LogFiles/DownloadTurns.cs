using Microsoft.Extensions.Options;

namespace Tidings.LogFiles;

/// <summary>
/// Turns at the work a download does on the server (<see cref="LogFilesOptions.DownloadTurns"/> at once): planning
/// it (which scans the day's index entries), reading rows and formatting them. A download holds its turn while it
/// makes the next chunk of its file and gives it back before it waits for the client to take that chunk, so a client
/// that reads nothing holds no turn. Without turns, a few hundred downloads started together each plan and fill a
/// chunk at the same moment, and every normal request queues behind all of that work.
/// </summary>
internal sealed class DownloadTurns(IOptions<LogFilesOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _turns = new(options.Value.DownloadTurns, options.Value.DownloadTurns);

    /// <summary>Waits for a turn; dispose the result to give it back.</summary>
    public async ValueTask<Turn> TakeAsync(CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        return new Turn(_turns);
    }

    public void Dispose() => _turns.Dispose();

    /// <summary>A turn; giving it back twice is harmless.</summary>
    internal sealed class Turn(SemaphoreSlim turns) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turns.Release();
        }
    }
}
