using System.Threading.Channels;
using Tidings.Storage;
using static Tidings.Tests.Storage.BatchingWriterTestKit;

namespace Tidings.Tests.Storage;

/// <summary>The group-commit writer on its own: how batches form, how each caller is answered, and stopping.</summary>
public sealed class BatchingWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task What_queues_while_a_batch_commits_forms_the_next_batch()
    {
        var log = new BatchLog(holdFirst: true);
        var writer = await log.StartAsync(new BatchingOptions { MaxBatch = 100, QueueCapacity = 1000 });
        await using var stopping = StopsWithinBound(writer);

        var producers = Enumerable.Range(1, 50).Select(n => Task.Run(async () =>
        {
            var item = new Item(n);
            await writer.EnqueueAsync(item, Ct);
            return item;
        }, Ct)).ToList();
        var items = await Task.WhenAll(producers);
        await log.ReleaseFirstAsync(items);

        log.Batches.Count.ShouldBe(2);
        log.Batches[1].Order().ShouldBe(Enumerable.Range(1, 50));
        items.ShouldAllBe(i => i.Answers == 1);
    }

    [Fact]
    public async Task A_batch_takes_at_most_the_batch_size_in_queue_order()
    {
        var log = new BatchLog(holdFirst: true);
        var writer = await log.StartAsync(new BatchingOptions { MaxBatch = 10, QueueCapacity = 1000 });
        await using var stopping = StopsWithinBound(writer);
        var items = Enumerable.Range(1, 35).Select(n => new Item(n)).ToList();
        foreach (var item in items) await writer.EnqueueAsync(item, Ct);
        await log.ReleaseFirstAsync(items);

        log.Batches.Select(b => b.Length).ShouldBe([1, 10, 10, 10, 5]);
        log.Batches.SelectMany(b => b).ShouldBe(Enumerable.Range(0, 36));
    }

    [Fact]
    public async Task Items_queued_together_stay_whole_and_in_order_in_one_batch_even_past_the_batch_size()
    {
        var log = new BatchLog(holdFirst: true);
        var writer = await log.StartAsync(new BatchingOptions { MaxBatch = 10, QueueCapacity = 1000 });
        await using var stopping = StopsWithinBound(writer);
        var single = new Item(1);
        var group = Enumerable.Range(100, 15).Select(n => new Item(n)).ToList();
        var after = new Item(2);
        await writer.EnqueueAsync(single, Ct);
        await writer.EnqueueAllAsync(group, Ct);
        await writer.EnqueueAsync(after, Ct);
        await log.ReleaseFirstAsync(group.Append(single).Append(after));

        log.Batches[1].ShouldBe(Enumerable.Range(100, 15).Prepend(1));
        log.Batches[2].ShouldBe([2]);
    }

    [Fact]
    public async Task A_batch_that_is_not_full_lingers_for_more_items_on_the_given_clock_then_commits()
    {
        var time = new ObservedTime();
        var log = new BatchLog();
        var writer = await log.StartAsync(new BatchingOptions { MaxBatch = 10, QueueCapacity = 100, Linger = TimeSpan.FromMilliseconds(20), Time = time });
        await using var stopping = StopsWithinBound(writer);
        var (a, b, c) = (new Item(1), new Item(2), new Item(3));
        await writer.EnqueueAsync(a, Ct);
        await time.NextTimerAsync(Bound); // the batch waits for more
        await writer.EnqueueAsync(b, Ct);
        time.Advance(TimeSpan.FromMilliseconds(19));
        await writer.EnqueueAsync(c, Ct);
        log.Batches.ShouldBeEmpty();

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(a.Done.Task, b.Done.Task, c.Done.Task).WaitAsync(Bound, Ct);
        log.Batches.ShouldHaveSingleItem().ShouldBe([1, 2, 3]);
    }

    [Fact]
    public async Task No_more_batches_are_committed_at_once_than_allowed_and_that_many_are()
    {
        var running = 0;
        var most = 0;
        var committed = 0;
        var writer = new BatchingWriter<Item>(
            new BatchingOptions { MaxBatch = 20, QueueCapacity = 10_000, BatchesInFlight = 3, GatherInCommit = true },
            async batch =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Yield(); // the batch's turn in the store comes later
                batch.Gather();
                await Task.Delay(1, Ct); // the store writes and commits
                Interlocked.Add(ref committed, batch.Count);
                Interlocked.Decrement(ref running);
            },
            Item.Committed, Item.Failed);
        await using var stopping = StopsWithinBound(writer);
        writer.Start();

        var producers = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            var items = Enumerable.Range(0, 300).Select(n => new Item(p * 1000 + n)).ToList();
            foreach (var item in items) await writer.EnqueueAsync(item, Ct);
            await Task.WhenAll(items.Select(i => i.Done.Task));
            return items;
        }, Ct)).ToList();
        var all = (await Task.WhenAll(producers).WaitAsync(Bound, Ct)).SelectMany(i => i).ToList();

        most.ShouldBe(3);
        committed.ShouldBe(2400);
        all.ShouldAllBe(i => i.Answers == 1 && i.Error == null);
    }

    [Fact]
    public async Task An_item_rolled_back_alone_gets_its_error_while_its_neighbours_in_the_batch_commit()
    {
        var stored = new List<int>();
        var batches = 0;
        var writer = new BatchingWriter<Item>(new BatchingOptions { MaxBatch = 10, QueueCapacity = 100 }, batch =>
        {
            batches++;
            var staged = new List<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    if (batch[i].N == 2) throw new InvalidOperationException("item 2 is bad");
                    staged.Add(batch[i].N);
                }
                catch (Exception ex)
                {
                    batch.Reject(i, ex); // as a rollback to the item's savepoint
                }
            }

            stored.AddRange(staged);
            return ValueTask.CompletedTask;
        }, Item.Committed, Item.Failed);
        await using var stopping = StopsWithinBound(writer);
        var items = new[] { new Item(1), new Item(2), new Item(3) };
        foreach (var item in items) await writer.EnqueueAsync(item, Ct); // queued before the writer runs: one batch
        writer.Start();
        await Task.WhenAll(items.Select(i => i.Answered)).WaitAsync(Bound, Ct);

        batches.ShouldBe(1);
        stored.ShouldBe([1, 3]);
        items[1].Error.ShouldBeOfType<InvalidOperationException>().Message.ShouldBe("item 2 is bad");
        items[0].Error.ShouldBeNull();
        items[2].Error.ShouldBeNull();
        items.ShouldAllBe(i => i.Answers == 1);
    }

    [Fact]
    public async Task A_failed_commit_fails_the_callers_of_its_batch_only_and_an_item_rolled_back_alone_keeps_its_own_error()
    {
        var commits = 0;
        var writer = new BatchingWriter<Item>(new BatchingOptions { MaxBatch = 10, QueueCapacity = 100 }, batch =>
        {
            if (++commits > 1) return ValueTask.CompletedTask;
            batch.Reject(1, new InvalidOperationException("item 2 is bad"));
            throw new IOException("the disk is full");
        }, Item.Committed, Item.Failed);
        await using var stopping = StopsWithinBound(writer);
        var first = new[] { new Item(1), new Item(2), new Item(3) };
        foreach (var item in first) await writer.EnqueueAsync(item, Ct);
        writer.Start();
        await Task.WhenAll(first.Select(i => i.Answered)).WaitAsync(Bound, Ct);
        var later = new Item(4);
        await writer.EnqueueAsync(later, Ct);
        await later.Answered.WaitAsync(Bound, Ct);

        first[0].Error.ShouldBeOfType<IOException>();
        first[1].Error.ShouldBeOfType<InvalidOperationException>();
        first[2].Error.ShouldBeOfType<IOException>();
        later.Error.ShouldBeNull();
        first.Append(later).ShouldAllBe(i => i.Answers == 1);
    }

    [Fact]
    public async Task A_failed_commit_is_tried_again_with_the_same_items_after_doubling_waits_up_to_the_most_until_it_succeeds()
    {
        var time = new ObservedTime();
        var tries = new List<(int Attempt, int[] Items)>();
        var writer = new BatchingWriter<Item>(
            new BatchingOptions { MaxBatch = 10, QueueCapacity = 100, Retry = new BatchRetry(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)), Time = time },
            batch =>
            {
                lock (tries) tries.Add((batch.Attempt, batch.Items.Select(i => i.N).ToArray()));
                return tries.Count <= 4 ? throw new IOException("the store is down") : ValueTask.CompletedTask;
            },
            Item.Committed, Item.Failed);
        await using var stopping = StopsWithinBound(writer);
        var items = new[] { new Item(1), new Item(2) };
        foreach (var item in items) await writer.EnqueueAsync(item, Ct);
        writer.Start();

        foreach (var wait in new[] { 100, 200, 300, 300 })
        {
            await time.NextTimerAsync(Bound);
            var before = tries.Count;
            time.Advance(TimeSpan.FromMilliseconds(wait - 1));
            tries.Count.ShouldBe(before, $"not tried again before {wait} ms");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await Task.WhenAll(items.Select(i => i.Answered)).WaitAsync(Bound, Ct);
        tries.Select(t => t.Attempt).ShouldBe([0, 1, 2, 3, 4]);
        tries.ShouldAllBe(t => t.Items.SequenceEqual(new[] { 1, 2 }));
        items.ShouldAllBe(i => i.Answers == 1 && i.Error == null);
    }

    [Fact]
    public async Task Stopping_answers_every_item_queued_before_and_refuses_later_ones()
    {
        var writer = new BatchingWriter<Item>(
            new BatchingOptions { MaxBatch = 7, QueueCapacity = 1000, BatchesInFlight = 2, GatherInCommit = true },
            async batch =>
            {
                await Task.Yield();
                batch.Gather();
                await Task.Delay(1, Ct);
            },
            Item.Committed, Item.Failed);
        writer.Start();
        var items = Enumerable.Range(0, 500).Select(n => new Item(n)).ToList();
        foreach (var item in items) await writer.EnqueueAsync(item, Ct);

        await writer.StopAsync(Ct).WaitAsync(Bound, Ct);

        items.ShouldAllBe(i => i.Answers == 1 && i.Error == null);
        await Should.ThrowAsync<ChannelClosedException>(writer.EnqueueAsync(new Item(-1), Ct).AsTask());
    }

    [Fact]
    public async Task Stopping_a_writer_that_never_ran_fails_what_was_queued_instead_of_leaving_it_waiting()
    {
        var writer = new BatchingWriter<Item>(new BatchingOptions { MaxBatch = 10, QueueCapacity = 100 }, _ => ValueTask.CompletedTask, Item.Committed, Item.Failed);
        var single = new Item(1);
        var group = new[] { new Item(2), new Item(3) };
        await writer.EnqueueAsync(single, Ct);
        await writer.EnqueueAllAsync(group, Ct);

        await writer.StopAsync(Ct).WaitAsync(Bound, Ct);

        group.Prepend(single).ShouldAllBe(i => i.Answers == 1 && i.Error is ObjectDisposedException);
    }
}
