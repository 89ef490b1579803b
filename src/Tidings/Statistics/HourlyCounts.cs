using Dapper;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Statistics;

/// <summary>
/// The statistics consumer's hourly aggregates (<c>statistics_hours</c>): a batch's events summed in memory per
/// (account, mailing, UTC hour, journal type), then one upsert per such key, in the batch's transaction, so they are
/// counted exactly when the counters and the cursor are. They outlive journal retention.
/// </summary>
internal static class HourlyCounts
{
    public const long HourMs = 3_600_000;

    /// <summary>The start of the UTC hour of a Unix ms time.</summary>
    public static long HourOf(long ms) => ms - (((ms % HourMs) + HourMs) % HourMs);

    /// <summary>
    /// Adds the batch's rows; <paramref name="firstOfMetric"/> holds the seqs that were their destination's first event of
    /// their statistics metric (the counters' uniques). Returns the batch's events per account (the live rate).
    /// </summary>
    public static async Task<Dictionary<long, int>> AddAsync(WriteContext w, List<JournalEntry> rows, HashSet<long> firstOfMetric)
    {
        var sums = new Dictionary<(long Account, long Mailing, long Hour, string Type), (long Total, long Unique)>();
        var perAccount = new Dictionary<long, int>();
        foreach (var r in rows)
        {
            var key = (r.AccountId, r.MailingId ?? 0, HourOf(r.Occurred), r.Type);
            var (total, unique) = sums.GetValueOrDefault(key);
            sums[key] = (total + 1, unique + (firstOfMetric.Contains(r.Seq) ? 1 : 0));
            perAccount[r.AccountId] = perAccount.GetValueOrDefault(r.AccountId) + 1;
        }

        await w.Connection.ExecuteAsync(
            "INSERT INTO statistics_hours (account_id, mailing_id, hour, type, total, unique_count) VALUES (@Account, @Mailing, @Hour, @Type, @Total, @Unique) " +
            "ON CONFLICT (account_id, mailing_id, hour, type) DO UPDATE SET total = statistics_hours.total + excluded.total, " +
            "unique_count = statistics_hours.unique_count + excluded.unique_count",
            sums.Select(s => new { s.Key.Account, s.Key.Mailing, s.Key.Hour, s.Key.Type, s.Value.Total, s.Value.Unique }), w.Transaction);
        return perAccount;
    }
}
