using System.ComponentModel.DataAnnotations;

namespace Tidings.Events.Intake;

/// <summary>
/// The journal's intake log. Bound from the <c>Events</c> section, beside the journal writer's settings; the keys
/// kept their names when the intake log got its own settings type.
/// </summary>
internal sealed class IntakeLogOptions
{
    public const string Section = "Events";

    /// <summary>
    /// Whether opens, clicks and other events without a dedupe key are acknowledged once they are in the intake log (an
    /// append-only file, see docs/events.md) and become journal rows in the background, instead of being acknowledged
    /// only once their journal row is committed. <c>Auto</c>: on with SQLite, off with PostgreSQL (whose nodes share no
    /// disk). <c>On</c> is refused with PostgreSQL.
    /// </summary>
    public IntakeLogMode IntakeLog { get; set; } = IntakeLogMode.Auto;

    /// <summary>Directory of the intake log; empty: beside the SQLite database, as <c>&lt;database file&gt;-intake</c>.</summary>
    public string IntakeLogDirectory { get; set; } = "";

    /// <summary>Size at which the intake log starts a new segment file; consumed segments are deleted whole.</summary>
    [Range(1024, 1L << 40)]
    public long IntakeSegmentBytes { get; set; } = 64L << 20;

    /// <summary>Most intake records made into journal rows in one transaction.</summary>
    [Range(1, 100_000)]
    public int IntakeMaterializeBatch { get; set; } = 2000;

    /// <summary>
    /// Most bytes in the intake log not yet made into journal rows. Beyond this, producers wait (back-pressure) until
    /// the journal catches up, so a sustained overload cannot fill the disk.
    /// </summary>
    [Range(1L << 20, 1L << 50)]
    public long IntakeMaxBacklogBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Journal rows are made from the intake log at once while at least this share of the machine's CPU time is idle
    /// (Linux; elsewhere always at once). While the machine is busier, a burst is left in the intake log, within
    /// <see cref="IntakeMaxDeferral"/> and <see cref="IntakeMaxDeferredBytes"/>, so that it does not slow the
    /// acknowledgements down. 0: never defer; 1: always defer (within those limits).
    /// </summary>
    [Range(0.0, 1.0)]
    public double IntakeIdleCpuThreshold { get; set; } = 0.2;

    /// <summary>Longest an event is left in the intake log while the machine is busy; then it is journaled regardless. 0: never defer.</summary>
    public TimeSpan IntakeMaxDeferral { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most bytes left in the intake log while the machine is busy; beyond this they are journaled regardless.</summary>
    [Range(0, 1L << 50)]
    public long IntakeMaxDeferredBytes { get; set; } = 512L << 20;
}

internal enum IntakeLogMode { Auto, On, Off }
