namespace Tidings.Storage;

/// <summary>How a <see cref="BatchingWriter{T}"/> forms its batches and what it does when one fails.</summary>
internal sealed record BatchingOptions
{
    /// <summary>Most items a batch takes from the queue (a group queued together may carry it past this).</summary>
    public required int MaxBatch { get; init; }

    /// <summary>Most queued items; callers wait (back-pressure) beyond this.</summary>
    public required int QueueCapacity { get; init; }

    /// <summary>Most batches being committed at once. One: a batch is formed only after the previous was answered.</summary>
    public int BatchesInFlight { get; init; } = 1;

    /// <summary>
    /// True: a batch takes its items only when its commit calls <see cref="WriteBatch{T}.Gather"/>, for a commit that waits
    /// for its turn in another queue first, so that everything queued meanwhile joins it. Only one batch at a time is
    /// waiting to gather. False: the writer gathers a batch before it hands it to the commit.
    /// </summary>
    public bool GatherInCommit { get; init; }

    /// <summary>How long a batch that is not full waits for more items before it is committed; zero commits at once.</summary>
    public TimeSpan Linger { get; init; }

    /// <summary>Null: a failed commit fails its items. Otherwise it is tried again with the same items, until it succeeds.</summary>
    public BatchRetry? Retry { get; init; }

    /// <summary>The clock of <see cref="Linger"/> and of the retry delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Runs after each batch has been answered (for example a periodic clean-up due now and then).</summary>
    public Func<Task>? AfterBatch { get; init; }

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchesInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Linger, TimeSpan.Zero);
        if (GatherInCommit && Linger > TimeSpan.Zero) throw new ArgumentException("A batch gathered by its commit cannot linger.", nameof(Linger));
    }
}

/// <summary>Waits before the next try of a failed commit: <see cref="First"/>, doubling each time, at most <see cref="Max"/>.</summary>
internal sealed record BatchRetry(TimeSpan First, TimeSpan Max)
{
    /// <summary>The wait after try <paramref name="tries"/> (0 after the first) failed.</summary>
    public TimeSpan Delay(int tries) => TimeSpan.FromTicks(Math.Min(Max.Ticks, First.Ticks * (1L << Math.Min(tries, 20))));
}
