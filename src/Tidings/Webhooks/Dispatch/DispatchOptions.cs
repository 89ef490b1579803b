using System.ComponentModel.DataAnnotations;

namespace Tidings.Webhooks.Dispatch;

/// <summary>How webhook deliveries are scheduled, retried and recorded. Bound from the <c>Webhooks:Dispatch</c> section.</summary>
internal sealed class DispatchOptions : IValidatableObject
{
    public const string Section = "Webhooks:Dispatch";

    /// <summary>Turns the delivery engine off (configuration, tests and replays still work; nothing is sent).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Journal records a webhook reads at a time.</summary>
    [Range(1, 100_000)]
    public int ReadBatchSize { get; set; } = 500;

    /// <summary>Events one webhook holds in memory, read but not yet sent. Beyond this it stops reading (its cursor waits).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 2000;

    /// <summary>How often the journal's end is checked for new records (what bounds the delay from event to call).</summary>
    public TimeSpan HeadPollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often an idle webhook looks for due retries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the list of webhooks (and validated domains) is reloaded, so changes take effect.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most calls in flight over all webhooks together (each webhook also has its own <c>max_concurrency</c>).</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentCalls { get; set; } = 512;

    /// <summary>First retry delay; each next one doubles (with full jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest delay between two attempts of one delivery.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after its first attempt a delivery is retried before it is marked failed (it can be replayed).</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest <c>Retry-After</c> honoured; a longer one is cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failed calls in a row after which a webhook pauses (and then probes with one call) instead of sending on.</summary>
    [Range(1, 1000)]
    public int PauseAfterFailures { get; set; } = 5;

    /// <summary>Longest pause of a failing webhook between probes.</summary>
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A webhook whose calls have all failed for this long is disabled and its account is told.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How long a disabled webhook's waiting retries keep their journal records from retention; after that retention
    /// may remove them, and the webhook counts them as lost (its status and a notice to the account say so).
    /// </summary>
    public TimeSpan DisabledHold { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Bytes of a receiver's response body kept with each attempt.</summary>
    [Range(0, 65_536)]
    public int ResponseExcerptBytes { get; set; } = 1024;

    /// <summary>Bytes of a receiver's response body shown by a test call.</summary>
    [Range(0, 1_048_576)]
    public int TestResponseBytes { get; set; } = 65_536;

    /// <summary>Days attempts and delivered or failed deliveries are kept (0: forever).</summary>
    [Range(0, 3650)]
    public int AttemptRetentionDays { get; set; } = 14;

    /// <summary>Rows of each table (attempts, finished deliveries) one write of the attempt sweep deletes at most.</summary>
    [Range(1, 1_000_000)]
    public int AttemptRetentionBatchSize { get; set; } = 500;

    /// <summary>After each write of the attempt sweep, it pauses this many times as long as the write took (0: no pause).</summary>
    [Range(0.0, 100.0)]
    public double AttemptRetentionYieldFactor { get; set; } = 3.0;

    /// <summary>Outcomes waiting to be written; workers wait (back-pressure) beyond this.</summary>
    [Range(1, 10_000_000)]
    public int LedgerQueueCapacity { get; set; } = 50_000;

    /// <summary>How often old attempts and finished deliveries are removed (see <see cref="AttemptRetentionDays"/>).</summary>
    public TimeSpan AttemptSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Test calls "Check now" makes at the same time.</summary>
    [Range(1, 256)]
    public int CheckConcurrency { get; set; } = 8;

    /// <summary>Most outcomes written to the store in one transaction.</summary>
    [Range(1, 100_000)]
    public int LedgerBatchSize { get; set; } = 2000;

    /// <summary>
    /// How long the ledger gathers outcomes before it writes a batch that is not full: a commit per few calls cost
    /// more than the calls. Settling (the cursor) lags by this much; calls do not wait for it. Zero writes at once.
    /// </summary>
    public TimeSpan LedgerLinger { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// When the server stops, how long webhook calls in flight may take to finish. Calls still running then are cut off
    /// and handed back: their events are sent again after the next start, with the same <c>webhook-id</c>. Must be
    /// shorter than <c>Server:ShutdownTimeout</c>, which bounds the whole stop.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Journal records a replay of a time range looks at per step.</summary>
    [Range(1, 100_000)]
    public int ReplayBatchSize { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeadPollInterval <= TimeSpan.Zero) yield return new("HeadPollInterval must be positive.", [nameof(HeadPollInterval)]);
        if (PollInterval <= TimeSpan.Zero) yield return new("PollInterval must be positive.", [nameof(PollInterval)]);
        if (LedgerLinger < TimeSpan.Zero || LedgerLinger > TimeSpan.FromSeconds(1)) yield return new("LedgerLinger must be between 0 and 1 second.", [nameof(LedgerLinger)]);
        if (RefreshInterval <= TimeSpan.Zero) yield return new("RefreshInterval must be positive.", [nameof(RefreshInterval)]);
        if (FirstRetryDelay <= TimeSpan.Zero) yield return new("FirstRetryDelay must be positive.", [nameof(FirstRetryDelay)]);
        if (MaxRetryDelay < FirstRetryDelay) yield return new("MaxRetryDelay must be at least FirstRetryDelay.", [nameof(MaxRetryDelay)]);
        if (RetryWindow <= TimeSpan.Zero) yield return new("RetryWindow must be positive.", [nameof(RetryWindow)]);
        if (MaxPause <= TimeSpan.Zero) yield return new("MaxPause must be positive.", [nameof(MaxPause)]);
        if (AttemptSweepInterval <= TimeSpan.Zero) yield return new("AttemptSweepInterval must be positive.", [nameof(AttemptSweepInterval)]);
        if (ShutdownGrace < TimeSpan.Zero) yield return new("ShutdownGrace must not be negative.", [nameof(ShutdownGrace)]);
        if (DisableAfter <= TimeSpan.Zero) yield return new("DisableAfter must be positive.", [nameof(DisableAfter)]);
        if (DisabledHold < TimeSpan.Zero || DisabledHold > TimeSpan.FromDays(3650)) yield return new("DisabledHold must be between 0 and 3650 days.", [nameof(DisabledHold)]);
    }
}
