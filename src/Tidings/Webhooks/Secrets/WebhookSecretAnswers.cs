using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;
using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Secrets;

/// <summary><c>GET webhook/{id}/secrets</c>: the secrets still signing, and the public key of the current ed25519 one (or null).</summary>
internal sealed record WebhookSecretsAnswer(string Webhook, IReadOnlyList<WebhookSecretAnswer> Secrets, string? Ed25519PublicKey)
{
    public static WebhookSecretsAnswer From(WebhookSecrets found, CopernicaTime time) => new(
        found.WebhookId.ToString(CultureInfo.InvariantCulture),
        found.Secrets.Select(s => WebhookSecretAnswer.From(s, time)).ToList(),
        found.CurrentEd25519 is { } ed25519 ? WebhookSecretAnswer.PublicKeyOf(ed25519) : null);
}

/// <summary>One secret; <c>public_key</c> only for an ed25519 one.</summary>
internal sealed record WebhookSecretAnswer(
    string Secret,
    string Kind,
    string Created,
    string? Expires,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PublicKey)
{
    public static WebhookSecretAnswer From(StoredWebhookSecret s, CopernicaTime time) => new(
        s.Secret,
        s.Kind,
        time.FormatMs(s.Created),
        s.Expires is { } expires ? time.FormatMs(expires) : null,
        s.Kind == WebhookSecretKinds.Ed25519 ? PublicKeyOf(s) : null);

    public static string PublicKeyOf(StoredWebhookSecret s) => Ed25519WebhookKey.Parse(s.Secret).PublicKeyString();
}
