namespace Tidings.Webhooks.Signing;

/// <summary>Log entries of the webhook signing keys (event ids 14600–14699): selectors and key ids only, never a key.</summary>
internal static partial class SigningLog
{
    [LoggerMessage(EventId = 14601, Level = LogLevel.Information, Message = "Generated webhook signing key {KeyId}")]
    public static partial void SigningKeyGenerated(this ILogger logger, string keyId);

    [LoggerMessage(EventId = 14602, Level = LogLevel.Information, Message = "Rotated the webhook signing key: {Selector} signs from now on")]
    public static partial void SigningKeyRotated(this ILogger logger, string selector);
}
