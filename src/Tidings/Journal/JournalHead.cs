namespace Tidings.Journal;

/// <summary>
/// The journal's last visible sequence number, polled often and cheaply (one indexed MAX; on PostgreSQL after advancing
/// the watermark, <see cref="JournalHorizon"/>) so that webhooks learn of new events within milliseconds without each of
/// them querying. Producers never call consumers, so this is how news travels. Every record up to <see cref="Value"/> is
/// final once it is seen (the promise of <see cref="JournalReader"/>).
/// </summary>
internal sealed class JournalHead(JournalReader reader)
{
    private long _value;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Value => Interlocked.Read(ref _value);

    /// <summary>Completes the next time <see cref="Value"/> grows.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        var max = await reader.HeadAsync(cancellationToken);
        if (max > Interlocked.Read(ref _value))
        {
            Interlocked.Exchange(ref _value, max);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        return max;
    }
}
