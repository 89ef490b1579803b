using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.LogFiles;

namespace Tidings.Events;

/// <summary>
/// Deletes profile and subprofile change records older than <see cref="EventsOptions.ProfileEventRetention"/>, never
/// one at or beyond the lowest consumer cursor (webhooks, their retries, statistics). Walks the journal in the same
/// bounded windows and at the same interval as log file retention (<see cref="LogFilesOptions.RetentionBatchSize"/>,
/// <see cref="LogFilesOptions.RetentionSweepInterval"/>).
/// </summary>
internal sealed class ProfileEventRetention(
    JournalRetention journal, TimeProvider timeProvider, IOptions<EventsOptions> options, IOptions<LogFilesOptions> sweep, ILogger<ProfileEventRetention> logger)
    : RetentionSweeper(journal, timeProvider)
{
    public static readonly IReadOnlyList<string> ProfileTypes =
    [
        EventTypes.ProfileCreate, EventTypes.ProfileUpdate, EventTypes.ProfileDelete,
        EventTypes.SubprofileCreate, EventTypes.SubprofileUpdate, EventTypes.SubprofileDelete,
    ];

    public override string Setting => "Events:ProfileEventRetention";

    public override IReadOnlyList<string> Types => ProfileTypes;

    public override TimeSpan? KeepFor => options.Value.ProfileEventRetention == TimeSpan.Zero ? null : options.Value.ProfileEventRetention;

    protected override RetentionPace Pace => new(sweep.Value.RetentionBatchSize, sweep.Value.RetentionSweepInterval, sweep.Value.RetentionYieldFactor, sweep.Value.RetentionFirstSweepDelay);

    protected override void LogProgress(long deleted, TimeSpan keepFor, long seq) => logger.ProfileRetentionProgress(deleted, keepFor, seq);

    protected override void LogFailed(Exception exception) => logger.ProfileRetentionSweepFailed(exception);
}
