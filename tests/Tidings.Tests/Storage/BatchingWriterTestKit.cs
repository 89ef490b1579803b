using Microsoft.Extensions.Time.Testing;
using Tidings.Storage;

namespace Tidings.Tests.Storage;

/// <summary>Items that record how they were answered, a log of batches and a fake clock that tells when it was set.</summary>
internal static class BatchingWriterTestKit
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Stops the writer at the end of a test, failing the test instead of hanging it when the writer is stuck.</summary>
    public static AsyncStop StopsWithinBound(BatchingWriter<Item> writer) => new(writer);

    internal sealed class AsyncStop(BatchingWriter<Item> writer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await writer.StopAsync(Ct).WaitAsync(Bound, Ct);
    }

    public static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }

    /// <summary>A caller's item: records how often and how it was answered.</summary>
    internal sealed class Item(int n)
    {
        private int _answers;

        public int N { get; } = n;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once answered, either way.</summary>
        public Task Answered => Done.Task.ContinueWith(_ => { }, TaskScheduler.Default);

        public int Answers => Volatile.Read(ref _answers);

        public Exception? Error => Done.Task.Exception?.InnerException;

        public static void Committed(Item item)
        {
            Interlocked.Increment(ref item._answers);
            item.Done.TrySetResult();
        }

        public static void Failed(Item item, Exception error)
        {
            Interlocked.Increment(ref item._answers);
            item.Done.TrySetException(error);
        }
    }

    /// <summary>Records each committed batch; with <c>holdFirst</c>, a first batch (item 0) is held in its commit until released.</summary>
    internal sealed class BatchLog(bool holdFirst = false)
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Item _first = new(0);

        public List<int[]> Batches { get; } = [];

        /// <summary>A running writer; with <c>holdFirst</c>, once its first batch is being committed (and held).</summary>
        public async Task<BatchingWriter<Item>> StartAsync(BatchingOptions options)
        {
            var writer = new BatchingWriter<Item>(options, CommitAsync, Item.Committed, Item.Failed);
            writer.Start();
            if (!holdFirst) return writer;
            await writer.EnqueueAsync(_first, Ct);
            await _firstStarted.Task.WaitAsync(Bound, Ct);
            return writer;
        }

        /// <summary>Lets the held first batch commit, and waits until it and <paramref name="items"/> are answered.</summary>
        public async Task ReleaseFirstAsync(IEnumerable<Item> items)
        {
            _release.TrySetResult();
            await Task.WhenAll(items.Append(_first).Select(i => i.Done.Task)).WaitAsync(Bound, Ct);
        }

        private async ValueTask CommitAsync(WriteBatch<Item> batch)
        {
            int count;
            lock (Batches)
            {
                Batches.Add(batch.Items.Select(i => i.N).ToArray());
                count = Batches.Count;
            }

            if (holdFirst && count == 1)
            {
                _firstStarted.TrySetResult();
                await _release.Task;
            }
        }
    }

    /// <summary>A fake clock that tells when a timer was set on it: the writer is then waiting.</summary>
    internal sealed class ObservedTime : FakeTimeProvider
    {
        private readonly SemaphoreSlim _timers = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Release();
            return timer;
        }

        public async Task NextTimerAsync(TimeSpan bound)
        {
            if (!await _timers.WaitAsync(bound, TestContext.Current.CancellationToken)) throw new TimeoutException("The writer set no timer.");
        }
    }
}
