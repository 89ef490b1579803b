using System.Globalization;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The journal records a call carried, as <c>webhook_attempts.members</c> keeps them: their seq numbers, comma-separated,
/// in the order they were sent. A batch's webhook-id is a digest of its events' ids and cannot be turned back into them;
/// these can, so the attempt's body can be written again from the journal.
/// </summary>
internal static class AttemptMembers
{
    public static string Format(IReadOnlyList<DeliverySnapshot> deliveries) =>
        deliveries.Count == 1
            ? deliveries[0].Seq.ToString(CultureInfo.InvariantCulture)
            : string.Join(',', deliveries.Select(d => d.Seq.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The seq numbers; null when none were stored (attempts recorded before migration 0015).</summary>
    public static IReadOnlyList<long>? Parse(string? members) =>
        string.IsNullOrEmpty(members) ? null : members.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
}
