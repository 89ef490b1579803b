using System.ComponentModel.DataAnnotations;

namespace Tidings.SecretProtection;

/// <summary>
/// The master keys that encrypt secrets stored in the database (webhook secrets, signing private keys). Bound from the
/// <c>Secrets</c> section.
/// </summary>
public sealed class SecretProtectionOptions : IValidatableObject
{
    public const string Section = "Secrets";

    /// <summary>
    /// File holding one master key (base64 of 32 bytes). Empty: <c>master.key</c> in the folder of
    /// <c>Storage:SqlitePath</c>. Without <see cref="MasterKeys"/> it is created at first start; with them it is only
    /// read, if it exists, so values it encrypted stay readable.
    /// </summary>
    public string MasterKeyFile { get; set; } = "";

    /// <summary>Master keys by id (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>), each base64 of 32 bytes.</summary>
    public Dictionary<string, string> MasterKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The key new values are encrypted with; the others only decrypt. Empty: the only entry of
    /// <see cref="MasterKeys"/>, or the key file's key when there are none.
    /// </summary>
    public string PrimaryKeyId { get; set; } = "";

    /// <summary>Rows read and rewritten per transaction when stored values are encrypted or re-encrypted.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (id, value) in MasterKeys)
        {
            if (!MasterKey.IsValidId(id))
            {
                yield return new ValidationResult($"MasterKeys: '{id}' is not a valid key id (1 to 64 letters, digits, '.', '_' or '-').", [nameof(MasterKeys)]);
            }
            else if (MasterKey.TryDecode(value) is null)
            {
                yield return new ValidationResult($"MasterKeys:{id} must be base64 of exactly {MasterKey.Bytes} bytes (e.g. from: openssl rand -base64 32).", [nameof(MasterKeys)]);
            }
        }

        if (PrimaryKeyId.Length == 0 && MasterKeys.Count > 1)
        {
            yield return new ValidationResult("PrimaryKeyId must name the key that encrypts new values when there are several MasterKeys.", [nameof(PrimaryKeyId)]);
        }
    }
}
