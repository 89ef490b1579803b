namespace Tidings.Journal;

/// <summary>
/// One retention rule of the journal: records of <see cref="Types"/> older than <see cref="KeepFor"/> are removed (once
/// no consumer holds them). Replays read these to say which part of a time range is no longer there.
/// </summary>
internal interface IRetentionRule
{
    /// <summary>The setting that decides it, to name in answers (e.g. <c>LogFiles:RetentionDays</c>).</summary>
    string Setting { get; }

    IReadOnlyList<string> Types { get; }

    /// <summary>How long records are kept; null: for ever.</summary>
    TimeSpan? KeepFor { get; }
}
