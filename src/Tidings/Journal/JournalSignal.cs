using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Tells the journal's followers that rows were appended, once their transaction has committed (whichever door they
/// came through: event batches, the intake log, change capture inside a caller's transaction, the delivery ledger).
/// A follower subscribes a wake-up that costs no more than a channel write; it coalesces bursts itself, and keeps a slow
/// poll in case a signal is missed (another node appended, or it was busy when it came).
/// </summary>
internal sealed class JournalSignal
{
    private readonly Lock _lock = new();
    private Action[] _followers = [];

    public JournalSignal(IStorage storage) => storage.JournalAppendCommitted += Appended;

    /// <summary>Calls <paramref name="wake"/> after each commit that appended rows; it must be cheap and must not throw.</summary>
    public void Subscribe(Action wake)
    {
        lock (_lock) _followers = [.. _followers, wake];
    }

    private void Appended(int rows)
    {
        foreach (var wake in Volatile.Read(ref _followers)) wake();
    }
}
