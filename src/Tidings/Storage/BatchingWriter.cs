using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Tidings.Storage;

/// <summary>
/// Group commit: callers queue items, and the writer hands them to one commit in batches, so a burst of writes costs a
/// few transactions instead of one each. It owns the queue, the forming of batches (<see cref="BatchingOptions"/>: size,
/// linger, gathering late, several in flight), answering each item once its batch is committed (or failed, or tried
/// again until it succeeds) and draining on stop: every item queued before <see cref="StopAsync"/> is answered.
/// </summary>
/// <remarks>
/// The hot path of ingest, journal appends and webhook outcomes: per item nothing is allocated beyond the caller's own
/// item; with one batch in flight a batch costs nothing either beyond a linger's timer (its object and the state of
/// its commit are reused).
/// <paramref name="committed"/> and <paramref name="failed"/> must not throw.
/// </remarks>
/// <param name="commit">Writes a batch in one transaction and returns once it is durable; throws if it is not.</param>
/// <param name="committed">Answers an item whose batch committed.</param>
/// <param name="failed">Answers an item that was not committed, with why.</param>
internal sealed class BatchingWriter<T>(BatchingOptions options, Func<WriteBatch<T>, ValueTask> commit, Action<T> committed, Action<T, Exception> failed)
    : IAsyncDisposable
{
    private readonly Channel<BatchEntry<T>> _queue = Channel.CreateBounded<BatchEntry<T>>(
        new BoundedChannelOptions(Valid(options).QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private Task? _loop;
    private volatile bool _stopping;

    /// <summary>Queues an item; it is answered through the writer's callbacks (waits only while the queue is full).</summary>
    public ValueTask EnqueueAsync(T item, CancellationToken cancellationToken = default) =>
        _queue.Writer.WriteAsync(new BatchEntry<T>(item, null), cancellationToken);

    /// <summary>Queues items that go into one batch together, in this order.</summary>
    public ValueTask EnqueueAllAsync(IReadOnlyList<T> group, CancellationToken cancellationToken = default) => group.Count switch
    {
        0 => ValueTask.CompletedTask,
        1 => EnqueueAsync(group[0], cancellationToken),
        _ => _queue.Writer.WriteAsync(new BatchEntry<T>(group[0], group), cancellationToken),
    };

    public void Start() => _loop ??= Task.Run(RunAsync, CancellationToken.None);

    /// <summary>Items queued and not yet taken into a batch: what a stop still has to write, and a metric.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Started, not asked to stop, and its loop alive (readiness reads this).</summary>
    public bool IsRunning => _loop is { IsCompleted: false } && !_stopping;

    /// <summary>Takes no more items, and returns once those already queued have been answered.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
        else FailUnstarted();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunAsync()
    {
        if (options.BatchesInFlight == 1)
        {
            var batch = NewBatch();
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Reset();
                if (!options.GatherInCommit) await GatherAsync(batch);
                await CommitAndAnswerAsync(batch);
            }

            return;
        }

        // Several batches in flight: the next one forms while those before it are written and committed. With
        // GatherInCommit it takes its items only when its commit's turn comes (everything queued meanwhile), so only
        // one batch at a time waits to gather.
        var spare = new ConcurrentQueue<WriteBatch<T>>();
        using var slots = new SemaphoreSlim(options.BatchesInFlight);
        while (await _queue.Reader.WaitToReadAsync())
        {
            await slots.WaitAsync();
            var batch = spare.TryDequeue(out var reused) ? reused : NewBatch();
            batch.Reset();
            if (options.GatherInCommit)
            {
                batch.Gathered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = InFlightAsync(batch, slots, spare);
                await batch.Gathered.Task;
            }
            else
            {
                await GatherAsync(batch);
                _ = InFlightAsync(batch, slots, spare);
            }
        }

        for (var i = 0; i < options.BatchesInFlight; i++) await slots.WaitAsync(); // the last batches have been answered
    }

    private async Task InFlightAsync(WriteBatch<T> batch, SemaphoreSlim slots, ConcurrentQueue<WriteBatch<T>> spare)
    {
        try
        {
            await CommitAndAnswerAsync(batch);
        }
        finally
        {
            spare.Enqueue(batch);
            slots.Release();
        }
    }

    private ValueTask GatherAsync(WriteBatch<T> batch)
    {
        batch.Take();
        if (batch.Count >= options.MaxBatch || options.Linger <= TimeSpan.Zero)
        {
            batch.MarkGathered();
            return ValueTask.CompletedTask;
        }

        return LingerAsync(batch);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask LingerAsync(WriteBatch<T> batch)
    {
        await Task.Delay(options.Linger, options.Time);
        batch.Take();
        batch.MarkGathered();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CommitAndAnswerAsync(WriteBatch<T> batch)
    {
        try
        {
            while (true)
            {
                try
                {
                    await commit(batch);
                    break;
                }
                catch (Exception) when (options.Retry is { } retry)
                {
                    await Task.Delay(retry.Delay(batch.Attempt), options.Time);
                    batch.Attempt++;
                }
            }
        }
        catch (Exception error)
        {
            batch.MarkGathered(); // a commit that failed before its turn gathered nothing: the next batch may form
            for (var i = 0; i < batch.Count; i++)
            {
                if (!batch.IsRejected(i)) failed(batch[i], error);
            }

            return;
        }

        batch.MarkGathered();
        for (var i = 0; i < batch.Count; i++)
        {
            if (!batch.IsRejected(i)) committed(batch[i]);
        }

        if (options.AfterBatch is { } afterBatch) await afterBatch();
    }

    private WriteBatch<T> NewBatch() => new(_queue.Reader, options.MaxBatch, failed);

    /// <summary>Stopped before it ever ran: nothing will commit what is queued, so its callers are told at once.</summary>
    private void FailUnstarted()
    {
        var error = new ObjectDisposedException("BatchingWriter", "The writer stopped before it started.");
        while (_queue.Reader.TryRead(out var next))
        {
            if (next.Group is not { } group) failed(next.Item, error);
            else for (var i = 0; i < group.Count; i++) failed(group[i], error);
        }
    }

    private static BatchingOptions Valid(BatchingOptions options)
    {
        options.Validate();
        return options;
    }
}
