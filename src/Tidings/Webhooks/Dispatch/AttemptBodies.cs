using System.Text;
using Tidings.Journal;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// An attempt's request body written again on view: the journal records the call carried, read back by their seq
/// numbers, through the sender's own encoder (<see cref="WebhookSender.Encode"/>) with the webhook's settings of now.
/// Attempts keep no body; this is what the same events give today, so it is marked as re-rendered wherever shown.
/// </summary>
internal sealed record RenderedBody(string? Body, string? ContentType, string? Problem)
{
    public const string NoMembers = "This attempt was recorded before Tidings kept the journal records of each call (migration 0015), so its body cannot be written again.";
    public const string RecordsRemoved = "The journal no longer holds the events of this call (retention removed them), so its body cannot be written again.";
}

internal sealed class AttemptBodies(JournalReader journal, WebhookSender sender)
{
    public async Task<RenderedBody> RenderAsync(WebhookRecord webhook, IReadOnlyList<long>? members, CancellationToken ct)
    {
        if (members is null) return new RenderedBody(null, null, RenderedBody.NoMembers);
        var items = new List<DeliveryItem>(members.Count);
        foreach (var seq in members)
        {
            var rows = await journal.ReadAsync(new JournalRange(seq - 1) { UpTo = seq, AccountId = webhook.AccountId, Limit = 1 }, ct);
            if (rows.Count == 0) continue;
            var row = rows[0];
            items.Add(new DeliveryItem { Seq = row.Seq, EventId = row.EventId, JournalType = row.Type, Occurred = row.Occurred, JournalPayload = row.Payload });
        }

        if (items.Count == 0) return new RenderedBody(null, null, RenderedBody.RecordsRemoved);
        var (body, contentType) = sender.Encode(ActiveWebhook.From(webhook, []), items);
        var problem = items.Count < members.Count
            ? $"{members.Count - items.Count} of the call's {members.Count} events are no longer in the journal (retention removed them); the body holds the others."
            : null;
        return new RenderedBody(Encoding.UTF8.GetString(body.Span), contentType, problem);
    }
}
