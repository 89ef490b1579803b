using Microsoft.OpenApi;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Secrets;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Webhooks, their domains, secrets and signing keys (Webhooks/Configuration, Domains, Secrets, Signing).</summary>
internal sealed partial class ComponentSchemas
{
    private void AddWebhooks()
    {
        Add("Webhook", Object("A webhook: Copernica's keys (ID, handler, trigger, callers) first, then Tidings' own.",
            ("ID", Id()),
            ("handler", String("The URL it calls.")),
            ("trigger", String("The first of triggers (Copernica has one trigger per webhook).")),
            ("callers", ArrayOf(Enum("Where a change came from.", WebhookTriggers.Callers))),
            ("database", NullableId("The database it is limited to, or null.")),
            ("collection", NullableId("The collection it is limited to, or null.")),
            ("triggers", ArrayOf(Enum("An event that calls the webhook.", WebhookTriggers.All))),
            ("format", Enum("The body: form (Copernica's default, application/x-www-form-urlencoded) or json.", WebhookFormats.All)),
            ("signing", Enum("The signatures a call carries.", WebhookSigningSchemes.All)),
            ("max_concurrency", Integer()),
            ("max_per_second", Integer()),
            ("batch_max_events", Integer()),
            ("batch_max_ms", Integer()),
            ("ordered", Boolean("One profile's events are delivered one at a time, in order.")),
            ("trace_context", Boolean("Calls carry a W3C traceparent header (the call's span) while the server traces.")),
            ("enabled", Boolean()),
            ("disabled_reason", NullableString("Why the server disabled it, or null.")),
            ("validated", Boolean("Whether the handler's domain is validated, so that the webhook delivers.")),
            ("validation_error", NullableString("Why it does not deliver, or null.")),
            ("created", Time())));
        AddList("WebhookList", "Webhook");

        Add("WebhookCreate", WebhookInput(creating: true));
        Add("WebhookUpdate", WebhookInput(creating: false));

        Add("Domain", Object("A domain the account claims for its webhook handlers, with what to publish to prove it.",
            ("ID", Id()),
            ("domain", String()),
            ("validated", Boolean()),
            ("validated_at", NullableTime()),
            ("method", NullableString("dns or file: how it was validated, or null.")),
            ("dns", Object(("type", Enum("TXT")), ("name", String("The record's name.")), ("value", String("The record's text.")))),
            ("file", Object(("name", String()), ("content", String()), ("where", String("Where to publish the file.")))),
            ("created", Time()),
            ("message?", String("After validate: what was found."))));
        AddList("DomainList", "Domain");
        Add("DomainInput", Object(("domain", String("A domain name, e.g. hooks.example.com."))));
        Add("DomainValidation", Object("Both keys are optional: by default DNS is tried first, then the verification file at the handlers under the domain.",
            ("method?", Enum("dns", "file")),
            ("url?", String("An http(s) URL under the domain to fetch the verification file from."))));

        Add("WebhookSecret", Object("A Standard Webhooks secret.",
            ("secret", String("whsec_… (hmac) or whsk_… (ed25519).")),
            ("kind", Enum("hmac signs v1, ed25519 signs v1a.", WebhookSecretKinds.All)),
            ("created", Time()),
            ("expires", NullableTime("When a replaced secret stops signing; null for the current one.")),
            ("public_key?", String("whpk_…: for ed25519 secrets, what receivers verify with."))));
        Add("WebhookSecrets", Object(
            ("webhook", Id()),
            ("secrets", ArrayOf(Ref("WebhookSecret"), "The current secrets and those still in their grace period.")),
            ("ed25519_public_key", NullableString("whpk_… of the current ed25519 key, or null."))));
        Add("WebhookSecretRotation", Object(
            ("kind?", Enum("hmac (default) or ed25519.", WebhookSecretKinds.All)),
            ("grace?", Integer("Seconds the replaced hmac secret keeps signing (default Webhooks:Secrets:DefaultGraceSeconds)."))));
        Add("WebhookSecretImport", Object(
            ("secret", String("whsec_… (HMAC, signs v1) or whsk_… (ed25519, signs v1a), e.g. from Svix.")),
            ("grace?", Integer("Seconds the replaced hmac secret keeps signing."))));

        Add("PublishedKeys", Object("The public keys that verify this server's Copernica-style (HTTP Signatures) webhook signatures.",
            ("keys", ArrayOf(Object(
                ("keyId", String("The keyId of signatures made with it.")),
                ("selector", String()),
                ("algorithm", String("rsa-sha256.")),
                ("publicKeyPem", String()),
                ("dnsTxtRecord", String("The DKIM-style TXT record to publish at keyId.")),
                ("signing", Boolean("Whether it signs now.")),
                ("created", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
                ("retiresAt", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time" }))))));
    }

    private static OpenApiSchema IdOrName(string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Integer | JsonSchemaType.Null, Description = description };

    /// <summary>The body of <c>POST webhooks</c> (handler and a trigger required) and <c>PUT webhook/{id}</c> (keys left out keep their value).</summary>
    private OpenApiSchema WebhookInput(bool creating)
    {
        var trigger = Enum("An event that calls the webhook.", WebhookTriggers.All);
        var triggers = OneOf(null, ArrayOf(trigger), String("Several, separated by commas."));
        static OpenApiSchema Limit((string Key, long Default, long Min, long Max) limit, string what) =>
            Range(limit.Min, limit.Max, $"{what} (default {limit.Default}).");

        var schema = Object(creating ? "handler and trigger (or triggers) are required." : "Keys that are left out keep their value.",
            (creating ? "handler" : "handler?", String("The absolute http or https URL to call.")),
            ("trigger?", OneOf("Copernica's one trigger, or several.", trigger, ArrayOf(trigger))),
            ("triggers?", triggers),
            ("callers?", OneOf("ms, publisher, or both (default).", ArrayOf(Enum("Where a change came from.", WebhookTriggers.Callers)), String())),
            ("database?", IdOrName("Id or name of a database to limit it to; empty or null for all.")),
            ("collection?", IdOrName("Id or name of a collection to limit it to; empty or null for none.")),
            ("format?", Enum("form (default) or json.", WebhookFormats.All)),
            ("signing?", Enum("copernica (default), standard, both or none.", WebhookSigningSchemes.All)),
            (WebhookLimits.MaxConcurrency.Key + "?", Limit(WebhookLimits.MaxConcurrency, "Calls in flight at once")),
            (WebhookLimits.MaxPerSecond.Key + "?", Limit(WebhookLimits.MaxPerSecond, "Calls per second")),
            (WebhookLimits.BatchMaxEvents.Key + "?", Limit(WebhookLimits.BatchMaxEvents, "Events per call")),
            (WebhookLimits.BatchMaxMs.Key + "?", Limit(WebhookLimits.BatchMaxMs, "Milliseconds to wait for a batch to fill")),
            ("ordered?", Flag("Deliver one profile's events one at a time, in order.")),
            ("trace_context?", Flag("Send a W3C traceparent header (the call's span) with every call while the server traces; default false.")),
            ("enabled?", Flag()));
        return schema;
    }
}
