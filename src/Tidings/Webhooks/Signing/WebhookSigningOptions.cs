using System.ComponentModel.DataAnnotations;

namespace Tidings.Webhooks.Signing;

/// <summary>How outgoing webhooks are signed. Bound from the <c>Webhooks:Signing</c> section.</summary>
internal sealed class WebhookSigningOptions : IValidatableObject
{
    public const string Section = "Webhooks:Signing";

    /// <summary>
    /// The DNS domain under which the server's public keys are published: the Copernica-style <c>keyId</c> is
    /// <c>&lt;selector&gt;._domainkey.&lt;Domain&gt;</c>, a TXT record the operator publishes.
    /// </summary>
    [Required]
    [RegularExpression(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    public string Domain { get; set; } = "localhost";

    /// <summary>Start of every generated key selector; a date and a random suffix follow, e.g. <c>tidings-20260105-3f9a</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,30}$")]
    public string SelectorPrefix { get; set; } = "tidings";

    /// <summary>Size in bits of newly generated RSA keys.</summary>
    [Range(2048, 8192)]
    public int RsaKeySize { get; set; } = 2048;

    /// <summary>How long a replaced key stays published (and so verifiable) after a rotation, in hours.</summary>
    [Range(0, 24 * 366)]
    public int RotationOverlapHours { get; set; } = 72;

    /// <summary>
    /// The value of <c>X-Copernica-ID</c>; <c>{id}</c> is replaced by the account id. Copernica's documentation shows
    /// <c>account-{id}</c>, its verifier library's examples <c>account_{id}</c>.
    /// </summary>
    [Required]
    public string CopernicaIdFormat { get; set; } = "account-{id}";

    /// <summary>Random bytes in each <c>X-Nonce</c> (sent as lower-case hex).</summary>
    [Range(8, 64)]
    public int NonceBytes { get; set; } = 16;

    /// <summary>How long a server process keeps using the signing key it read before it looks again (seconds).</summary>
    [Range(0, 3600)]
    public int KeyCacheSeconds { get; set; } = 60;

    /// <summary>How long clients may cache the response of <c>/.well-known/tidings/webhook-keys</c> (seconds).</summary>
    [Range(0, 86_400)]
    public int PublishedKeysMaxAgeSeconds { get; set; } = 300;

    /// <summary>Print the DNS TXT record to publish when the first key is generated.</summary>
    public bool PrintDnsRecordOnFirstKey { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CopernicaIdFormat.Contains("{id}", StringComparison.Ordinal))
        {
            yield return new ValidationResult("CopernicaIdFormat must contain {id}.", [nameof(CopernicaIdFormat)]);
        }
    }
}
