namespace Tidings.Rest;

/// <summary>
/// Finds the caller an access token stands for. The accounts feature implements it; the REST conventions only ask,
/// so they do not depend on the feature that owns accounts.
/// </summary>
internal interface ICallerLookup
{
    /// <summary>The caller a presented token stands for, or null if the token is unknown or revoked.</summary>
    ValueTask<Caller?> AuthenticateAsync(string? token, CancellationToken ct = default);
}
