namespace Tidings.Journal;

/// <summary>
/// A consumer whose hold on the journal depends on time rather than on its own progress (the webhook retry store of
/// a webhook that stays disabled): it brings its cursor up to date before a retention sweep, and learns afterwards
/// that records it may still have wanted were removed.
/// </summary>
internal interface IJournalRetentionHook
{
    Task BeforeSweepAsync(CancellationToken ct);

    /// <summary>Called after every sweep; <paramref name="deleted"/> records were removed by it.</summary>
    Task AfterSweepAsync(long deleted, CancellationToken ct);
}
