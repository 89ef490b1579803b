using Microsoft.OpenApi;
using Tidings.Webhooks.Configuration;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Webhook delivery (the answer records in Webhooks/Dispatch/*Answer*.cs) and the mail transfer agent (MtaResults/).</summary>
internal sealed partial class ComponentSchemas
{
    private void AddWebhookDelivery()
    {
        Add("WebhookStatus", Object("Where the webhook's delivery stands; the keys from queued on are there while it runs.",
            ("ID", Id()),
            ("running", Boolean()),
            ("enabled", Boolean()),
            ("disabled_reason", NullableString()),
            ("failing_since", NullableTime("Since when calls fail, or null while healthy.")),
            ("last_success", NullableTime()),
            ("queued?", Integer()),
            ("cursor?", Integer("Journal position delivered up to.")),
            ("journal_head?", Integer()),
            ("behind?", Integer("Journal records not read yet.")),
            ("failures_in_a_row?", Integer()),
            ("paused_until?", NullableTime()),
            ("rate_per_second?", Number()),
            ("lost?", Object("Waiting events that retention removed while the webhook was disabled for longer than Webhooks:Dispatch:DisabledHold; absent when none.",
                ("events", Integer("How many.")),
                ("from_seq", Integer("Lowest journal position lost.")),
                ("to_seq", Integer("Highest journal position lost.")),
                ("at", Time("When the last was lost."))))));

        Add("WebhookAttempt", Object("One call made for the webhook.",
            ("ID", Id()),
            ("event", String("The event id (or the first of a batch).")),
            ("events", Integer("Events in the call.")),
            ("attempt", Integer()),
            ("time", Time()),
            ("status", NullableInteger("The receiver's HTTP status, or null when there was no answer.")),
            ("success", Boolean()),
            ("latency_ms", Integer()),
            ("error", NullableString()),
            ("response", NullableString("The start of the receiver's answer.")),
            ("remote_ip", NullableString())));
        AddList("WebhookAttemptList", "WebhookAttempt");

        Add("WebhookDelivery", Object("An event's delivery that needed more than one try, or was replayed.",
            ("ID", Id()),
            ("event", String()),
            ("status", Enum("pending", "failed", "delivered")),
            ("attempts", Integer()),
            ("first_attempt", NullableTime()),
            ("last_attempt", NullableTime()),
            ("next_attempt", NullableTime("When it is tried next (pending only).")),
            ("last_status", NullableInteger()),
            ("last_error", NullableString()),
            ("replay", NullableId("The replay that queued it, or null."))));
        AddList("WebhookDeliveryList", "WebhookDelivery");

        Add("WebhookReplay", Object("A replay and its progress; delivered, pending and failed only when asked for one replay.",
            ("ID", Id()),
            ("kind", Enum("event", "delivery", "failed", "range")),
            ("status", String("running or done.")),
            ("from", NullableTime()),
            ("to", NullableTime()),
            ("scanned", Integer("Journal records scanned.")),
            ("total", Integer()),
            ("percent", Number()),
            ("queued", Integer("Deliveries queued.")),
            ("delivered?", Integer()),
            ("pending?", Integer()),
            ("failed?", Integer()),
            ("error", NullableString()),
            ("lost?", String("Which part of the replay could not be sent because retention removed those events from the journal; absent when nothing was lost.")),
            ("created", Time()),
            ("finished", NullableTime())));
        AddList("WebhookReplayList", "WebhookReplay");
        Add("WebhookReplayInput", Object("Say what to send again: event, delivery, failed=true, or from (and to).",
            ("event?", String("One event id.")),
            ("delivery?", AnyValue("One delivery id.")),
            ("failed?", Flag("Every failed delivery.")),
            ("from?", Time("Every event from this time…")),
            ("to?", Time("…to this time (default now)."))));

        var headers = MapOf(String());
        (string, IOpenApiSchema)[] Summary(params (string, IOpenApiSchema)[] more) =>
        [
            ("webhook", Id()),
            ("handler", String()),
            ("type", Enum("The event type sent.", WebhookTriggers.All)),
            ("validated", Boolean("Whether the handler's domain is validated (nothing is sent otherwise).")),
            ("validation_error", NullableString()),
            ("success", Boolean()),
            ("status", NullableInteger()),
            ("latency_ms", Integer()),
            ("error", NullableString()),
            .. more,
        ];
        Add("WebhookTestSummary", Object(Summary()));
        Add("WebhookTestResult", Object("A test call with the whole request and the receiver's whole answer.", Summary(
            ("request", Object(("url", String()), ("headers", headers), ("body", NullableString()))),
            ("response", new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                Description = "null when there was no answer.",
                Properties = new Dictionary<string, IOpenApiSchema> { ["status"] = Integer(), ["headers"] = headers, ["body"] = NullableString() },
                Required = new HashSet<string> { "status", "headers", "body" },
            }))));
        Add("WebhookCheck", Object("A test call to every webhook of the account.",
            ("count", Integer()), ("succeeded", Integer()), ("data", ArrayOf(Ref("WebhookTestSummary")))));
        Add("WebhookTestInput", Object("Both keys are optional: a sample event of the webhook's first trigger by default.",
            ("type?", Enum("A sample event of this type.", WebhookTriggers.All)),
            ("data?", new OpenApiSchema { Description = "Your own post data instead: a JSON value, or a string sent as it is." })));
    }

    private void AddMailTransferAgent()
    {
        Add("MtaResult", Object("One delivery result; which keys apply depends on type.",
            ("message", String("The message id (16 lower-case letters and digits).")),
            ("type", Enum("delivery, failure (or error), retry or bounce.", ["delivery", "failure", "error", "retry", "bounce"])),
            ("time?", OneOf("When it happened: ISO 8601 with a time zone, or Unix seconds. Default: when received.", String(), Number())),
            ("id?", OneOf("The result's own id; a result sent again with the same id is recognised as a duplicate.", String(), Integer())),
            ("code?", Range(200, 599, "SMTP reply code.")),
            ("status?", String("Extended status code, e.g. 5.1.1.")),
            ("description?", String("The SMTP reply or diagnostic text.")),
            ("attempts?", Range(0, 10_000, "delivery, retry: earlier attempts (alias attempt).")),
            ("attempt?", Range(0, 10_000, "delivery, retry: alias of attempts.")),
            ("errortype?", Enum("failure: hard or soft.", ["hard", "soft"])),
            ("state?", String("failure: the SMTP phase (connect, mailfrom, rcptto, data, … or bounce).")),
            ("recipient?", String("bounce: the recipient address.")),
            ("envelope?", MapOf(String(), "bounce: envelope facts."))));
        Add("MtaResults", ArrayOf(Ref("MtaResult")));

        (string, IOpenApiSchema)[] Counts(params (string, IOpenApiSchema)[] more) =>
        [
            .. more,
            ("recorded", Integer("Results recorded now.")),
            ("duplicates", Integer("Results recorded before (the same result sent again).")),
            ("unknown", ArrayOf(Integer(), "Numbers (1-based lines or positions) of results whose message id is unknown.")),
        ];
        Add("MtaResultsSummary", Object(Counts()));
        Add("DsnSummary", Object(Counts(("message", String("The message id the notification is about.")))));
        Add("MtaResultsError", Object("Copernica's error. When some results were malformed, it also lists them and says what became of the others (which were processed).",
            ("error", Object(Counts(
                ("message", String()),
                ("errors?", ArrayOf(Object(("line", Integer()), ("message", String())), "The malformed results (at most Delivery:MaxReportedErrors)."))))
                .WithOptional("recorded", "duplicates", "unknown"))));
    }
}
