using System.Globalization;
using System.Text.Json.Nodes;
using Tidings.Rest;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Signing;
using Tidings.Rejections;

namespace Tidings.Webhooks.Secrets;

/// <summary>The body keys of the secrets calls (<c>kind</c>, <c>grace</c>, <c>secret</c>), checked, with messages that say what is wrong.</summary>
internal static class WebhookSecretInput
{
    /// <summary>The keys of <c>POST webhook/{id}/secrets/rotate</c>.</summary>
    public static readonly BodyKeys RotateKeys = BodyKeys.Of("kind", "grace");

    /// <summary>The keys of <c>PUT|POST webhook/{id}/secrets</c> (the kind follows from the secret's prefix).</summary>
    public static readonly BodyKeys ImportKeys = BodyKeys.Of("secret", "grace");

    public static string Kind(JsonObject body)
    {
        var kind = WebhookInput.Text(body, "kind")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(kind)) return WebhookSecretKinds.Hmac;
        return WebhookSecretKinds.All.Contains(kind) ? kind : throw new RequestRejectedException($"Unknown kind '{kind}' (expected hmac or ed25519)");
    }

    /// <summary>How long the replaced secret keeps signing: <c>grace</c> seconds, or the configured default.</summary>
    public static TimeSpan Grace(JsonObject body, WebhookSecretsOptions options)
    {
        var text = WebhookInput.Text(body, "grace")?.Trim();
        if (string.IsNullOrEmpty(text)) return TimeSpan.FromSeconds(options.DefaultGraceSeconds);
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > options.MaxGraceSeconds)
        {
            throw new RequestRejectedException($"grace must be a whole number of seconds from 0 to {options.MaxGraceSeconds}");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// An imported secret: <c>whsec_…</c> (hmac) or <c>whsk_…</c> (ed25519), returned with its kind in the form it is
    /// stored and shown in (standard base64 with padding).
    /// </summary>
    public static (string Kind, string Secret) Secret(JsonObject body, WebhookSecretsOptions options)
    {
        var text = WebhookInput.Text(body, "secret")?.Trim();
        if (string.IsNullOrEmpty(text)) throw new RequestRejectedException("A secret is required: whsec_… (HMAC, signs v1) or whsk_… (ed25519, signs v1a)");

        if (text.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal))
        {
            var secret = Parse(() => WebhookSecret.Parse(text));
            var length = secret.Key.Length;
            if (length < options.MinImportedSecretBytes || length > options.MaxImportedSecretBytes)
            {
                throw new RequestRejectedException($"Invalid secret: a whsec_ secret must decode to {options.MinImportedSecretBytes} to {options.MaxImportedSecretBytes} bytes, this one is {length}");
            }

            return (WebhookSecretKinds.Hmac, secret.ToString());
        }

        if (text.StartsWith(Ed25519WebhookKey.SecretPrefix, StringComparison.Ordinal))
        {
            return (WebhookSecretKinds.Ed25519, Parse(() => Ed25519WebhookKey.Parse(text)).SecretKeyString());
        }

        if (text.StartsWith(Ed25519WebhookKey.PublicPrefix, StringComparison.Ordinal))
        {
            throw new RequestRejectedException("Invalid secret: whpk_ is a public key; import the secret key (whsk_…), whose public key Tidings then shows");
        }

        throw new RequestRejectedException("Invalid secret: it must start with whsec_ (HMAC, signs v1) or whsk_ (ed25519, signs v1a)");
    }

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidWebhookSecretException ex)
        {
            throw new RequestRejectedException("Invalid secret: " + ex.Message);
        }
    }
}
