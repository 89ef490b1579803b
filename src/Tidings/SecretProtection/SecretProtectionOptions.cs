using System.ComponentModel.DataAnnotations;

namespace Tidings.SecretProtection;

/// <summary>
/// The master keys that encrypt secrets stored in the database (webhook secrets, signing private keys). Bound from the
/// <c>Secrets</c> section.
/// </summary>
/// <remarks>
/// The keys are checked with the rest of the configuration before anything is created (<see cref="MasterKeyCheck"/>),
/// for the server and the command-line verbs alike, and again where they are loaded (<see cref="MasterKeyRing.Load"/>).
/// </remarks>
internal sealed class SecretProtectionOptions
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
}
