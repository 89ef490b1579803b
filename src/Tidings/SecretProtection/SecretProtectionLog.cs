namespace Tidings.SecretProtection;

/// <summary>
/// Log entries about the master key file (event ids 1200–1299; 1201–1203 are in <see cref="SecretColumnSweep"/> and
/// <see cref="SecretProtectionFeature"/>). They name the file and the key's id, never the key.
/// </summary>
internal static partial class SecretProtectionLog
{
    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "The master key file {Path} can be read by other users than its owner; chmod 600 it")]
    public static partial void MasterKeyFileOpenToOthers(this ILogger logger, string path);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning,
        Message = "Created the master key file {Path} (key id {KeyId}): it encrypts the webhook secrets and signing keys in the database. " +
                  "Back it up, apart from the database: without it they cannot be read. Every node sharing the database needs this same file " +
                  "(or the key in Secrets:MasterKeys)")]
    public static partial void MasterKeyFileCreated(this ILogger logger, string path, string keyId);
}
