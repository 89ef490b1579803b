using System.ComponentModel.DataAnnotations;
using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Secrets;

/// <summary>Per-webhook Standard Webhooks secrets: sizes, rotation grace and caching. Bound from <c>Webhooks:Secrets</c>.</summary>
internal sealed class WebhookSecretsOptions : IValidatableObject
{
    public const string Section = "Webhooks:Secrets";

    /// <summary>Random bytes in a newly generated <c>whsec_</c> secret (the spec allows 24 to 64).</summary>
    [Range(StandardWebhooksSecrets.MinSecretBytes, StandardWebhooksSecrets.MaxSecretBytes)]
    public int SecretBytes { get; set; } = 32;

    /// <summary>After a rotation or import without <c>grace</c>, how long the replaced secret keeps signing (seconds).</summary>
    [Range(0, int.MaxValue)]
    public int DefaultGraceSeconds { get; set; } = 24 * 3600;

    /// <summary>The longest <c>grace</c> a client may ask for (seconds); Svix allows 7 days.</summary>
    [Range(0, int.MaxValue)]
    public int MaxGraceSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>
    /// Most replaced secrets that sign alongside the current one; rotating more often drops the oldest at once, so a
    /// call never carries an unbounded list of signatures.
    /// </summary>
    [Range(0, 100)]
    public int MaxOldSecrets { get; set; } = 10;

    /// <summary>Shortest imported <c>whsec_</c> secret in bytes (the spec's minimum; Svix's too).</summary>
    [Range(1, StandardWebhooksSecrets.MaxSecretBytes)]
    public int MinImportedSecretBytes { get; set; } = StandardWebhooksSecrets.MinSecretBytes;

    /// <summary>Longest imported <c>whsec_</c> secret in bytes (Svix accepts up to 75, more than the spec's 64).</summary>
    [Range(StandardWebhooksSecrets.MinSecretBytes, 1024)]
    public int MaxImportedSecretBytes { get; set; } = 75;

    /// <summary>
    /// How long a node signs with the keys it read before it looks again (seconds). Changes made on this node apply at
    /// once; changes made on another node sharing the database apply within this time. 0: read on every call.
    /// </summary>
    [Range(0, 3600)]
    public int CacheSeconds { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultGraceSeconds > MaxGraceSeconds)
        {
            yield return new ValidationResult("DefaultGraceSeconds may not exceed MaxGraceSeconds.", [nameof(DefaultGraceSeconds), nameof(MaxGraceSeconds)]);
        }

        if (MinImportedSecretBytes > MaxImportedSecretBytes)
        {
            yield return new ValidationResult("MinImportedSecretBytes may not exceed MaxImportedSecretBytes.", [nameof(MinImportedSecretBytes), nameof(MaxImportedSecretBytes)]);
        }
    }
}
