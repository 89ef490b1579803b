using Dapper;
using Tidings.Storage;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The journal's last sequence number, polled often and cheaply (one indexed MAX) so that webhooks learn of new events
/// within milliseconds without each of them querying. Producers never call consumers, so this is how news travels.
/// Journal records commit in <c>seq</c> order (one writer on SQLite, an append lock on PostgreSQL), so every record
/// up to <see cref="Value"/> is visible once it is seen.
/// </summary>
public sealed class JournalHead(IStorage storage)
{
    private long _value;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Value => Interlocked.Read(ref _value);

    /// <summary>Completes the next time <see cref="Value"/> grows.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        long max;
        await using (var c = await storage.OpenReadAsync(cancellationToken))
        {
            max = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM journal", cancellationToken: cancellationToken));
        }

        if (max > Interlocked.Read(ref _value))
        {
            Interlocked.Exchange(ref _value, max);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        return max;
    }
}
