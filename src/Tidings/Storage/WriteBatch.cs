using System.Threading.Channels;

namespace Tidings.Storage;

/// <summary>
/// The items a <see cref="BatchingWriter{T}"/> hands to its commit at once, in queue order (a group queued together
/// stays whole and in its order). The writer reuses the object for later batches: keep nothing of it past the commit.
/// </summary>
internal sealed class WriteBatch<T>
{
    private readonly List<T> _items;
    private readonly ChannelReader<BatchEntry<T>> _queue;
    private readonly int _max;
    private readonly Action<T, Exception> _failed;
    private bool[] _rejected = [];
    private int _rejectedCount;
    private bool _gathered;

    internal WriteBatch(ChannelReader<BatchEntry<T>> queue, int max, Action<T, Exception> failed)
    {
        _items = new List<T>(max);
        _queue = queue;
        _max = max;
        _failed = failed;
    }

    public int Count => _items.Count;

    public T this[int index] => _items[index];

    /// <summary>The items (a <see cref="List{T}"/> underneath, so LINQ over it allocates no more than over a list).</summary>
    public IReadOnlyList<T> Items => _items;

    /// <summary>How many tries of this batch failed before the current one (see <see cref="BatchingOptions.Retry"/>).</summary>
    public int Attempt { get; internal set; }

    /// <summary>
    /// Takes what is queued now, up to the batch size, unless the batch already did; with
    /// <see cref="BatchingOptions.GatherInCommit"/> the commit calls this when its turn comes. Lets the next batch form.
    /// </summary>
    public void Gather()
    {
        if (_gathered) return;
        Take();
        MarkGathered();
    }

    /// <summary>
    /// The item at <paramref name="index"/> was rolled back alone (for example to a savepoint) while the rest of the
    /// batch goes on: its caller gets <paramref name="error"/> now, and the batch's outcome no longer concerns it.
    /// </summary>
    public void Reject(int index, Exception error)
    {
        if (_rejected.Length < _items.Count) Array.Resize(ref _rejected, Math.Max(_items.Count, _max));
        if (_rejected[index]) return;
        _rejected[index] = true;
        _rejectedCount++;
        _failed(_items[index], error);
    }

    internal bool IsRejected(int index) => _rejectedCount > 0 && _rejected[index];

    /// <summary>Completed once the batch has its items (with <see cref="BatchingOptions.GatherInCommit"/> and several batches in flight).</summary>
    internal TaskCompletionSource? Gathered { get; set; }

    internal void Take()
    {
        while (_items.Count < _max && _queue.TryRead(out var next))
        {
            if (next.Group is not { } group) _items.Add(next.Item);
            else for (var i = 0; i < group.Count; i++) _items.Add(group[i]);
        }
    }

    internal void MarkGathered()
    {
        _gathered = true;
        Gathered?.TrySetResult();
    }

    internal void Reset()
    {
        _items.Clear();
        if (_rejectedCount > 0) Array.Clear(_rejected);
        _rejectedCount = 0;
        _gathered = false;
        Gathered = null;
        Attempt = 0;
    }
}

/// <summary>A queued item, or a group that goes into one batch together (then <see cref="Item"/> is its first).</summary>
internal readonly record struct BatchEntry<T>(T Item, IReadOnlyList<T>? Group);
