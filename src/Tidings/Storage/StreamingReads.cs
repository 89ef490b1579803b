using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Tidings.Storage;

/// <summary>
/// The smaller pool that long streaming reads take their read connections from, so that however many downloads run,
/// normal requests always find a reader: at most <see cref="StorageOptions.StreamingReadConnections"/> at once. A
/// read that waits longer than <see cref="StorageOptions.StreamingReadWait"/> is refused with
/// <see cref="StreamingReadsBusyException"/>.
/// </summary>
internal sealed partial class StreamingReads(IStorage storage, IOptions<StorageOptions> options, TimeProvider time, ILogger<StreamingReads> logger) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.StreamingReadConnections, options.Value.StreamingReadConnections);

    /// <summary>Streaming reads that may start now without waiting.</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>Opens a read connection from the streaming pool; dispose the lease to give it back.</summary>
    public async ValueTask<StreamingRead> OpenAsync(CancellationToken cancellationToken)
    {
        var wait = options.Value.StreamingReadWait;
        if (!_slots.Wait(0))
        {
            using var deadline = new CancellationTokenSource(wait, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await _slots.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogRefused(options.Value.StreamingReadConnections, wait);
                throw new StreamingReadsBusyException((int)Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
            }
        }

        try
        {
            return new StreamingRead(await storage.OpenReadAsync(cancellationToken), _slots);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning,
        Message = "A streaming read was refused: all {Connections} streaming read connections stayed taken for {Wait}")]
    private partial void LogRefused(int connections, TimeSpan wait);

    public void Dispose() => _slots.Dispose();
}

/// <summary>A read connection of the streaming pool; disposing it closes the connection and frees the slot.</summary>
internal sealed class StreamingRead(DbConnection connection, SemaphoreSlim slots) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.DisposeAsync();
        }
        finally
        {
            slots.Release();
        }
    }
}

/// <summary>Every streaming read connection stayed taken for <see cref="StorageOptions.StreamingReadWait"/>.</summary>
internal sealed class StreamingReadsBusyException(int retryAfterSeconds) : Exception("Too many log file downloads at once, try again later")
{
    /// <summary>Seconds a client should wait before it tries again (the <c>Retry-After</c> header).</summary>
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
