using System.Text.Json.Nodes;
using Tidings.Journal;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Dispatch;

/// <summary>Made-up events of each webhook type, for test calls: the same fields a real one carries, with example values.</summary>
internal static class SampleEvents
{
    public static JournalEvent For(string trigger, ActiveWebhook webhook, long nowMs)
    {
        var database = webhook.DatabaseId ?? 0;
        var journalType = trigger switch
        {
            "create" => webhook.CollectionId is null ? EventTypes.ProfileCreate : EventTypes.SubprofileCreate,
            "update" => webhook.CollectionId is null ? EventTypes.ProfileUpdate : EventTypes.SubprofileUpdate,
            "delete" => webhook.CollectionId is null ? EventTypes.ProfileDelete : EventTypes.SubprofileDelete,
            "open" => EventTypes.Open,
            "click" => EventTypes.Click,
            "delivery" => EventTypes.Delivery,
            "bounce" => EventTypes.Bounce,
            "failure" => EventTypes.Failure,
            "unsubscribe" => EventTypes.Unsubscribe,
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown webhook type"),
        };
        var payload = new JsonObject
        {
            ["message"] = "test-message-0000000000000000",
            ["mailing"] = 0,
            ["destination"] = 0,
            ["template"] = 0,
            ["subject"] = "Test message",
            ["senderdomain"] = "example.com",
            ["tags"] = new JsonArray("test"),
            ["email"] = "test@example.com",
            ["profile"] = 0,
            ["database"] = database,
            ["fields"] = new JsonObject { ["email"] = "test@example.com", ["firstname"] = "Test" },
            ["interests"] = new JsonArray(),
            ["ip"] = "192.0.2.1",
            ["useragent"] = "Mozilla/5.0 (Tidings test call)",
            ["referer"] = "",
            ["url"] = "https://example.com/",
            ["code"] = 250,
            ["status"] = "2.0.0",
            ["description"] = "Test",
            ["state"] = "rcpt",
            ["envelope"] = "bounces@example.com",
            ["mime"] = "",
            ["parameters"] = new JsonObject { ["firstname"] = "Test" },
            ["created"] = nowMs,
            ["modified"] = nowMs,
        };
        if (webhook.CollectionId is { } collection)
        {
            payload["collection"] = collection;
            payload["subprofile"] = 0;
        }

        return new JournalEvent("test_" + Guid.CreateVersion7().ToString("N"), journalType, nowMs, payload);
    }
}
