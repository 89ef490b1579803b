using Tidings.Rest;

namespace Tidings.RateLimiting;

/// <summary>
/// Whose budget a call uses: the access token's id, or for a SOAP user signed in (session or per-call
/// <c>login</c>) the user and account. Never the token itself, so no secret is kept as a key.
/// </summary>
internal readonly record struct CallerKey(long AccountId, long TokenId, long UserId)
{
    public static CallerKey Of(Caller caller) => new(caller.AccountId, caller.TokenId, caller.TokenId == 0 ? caller.UserId : 0);

    /// <summary>Who it is, for a log line: the token's id and name or the user's id (never a token or password).</summary>
    public static string Describe(Caller caller) =>
        caller.TokenId != 0 ? $"access token {caller.TokenId} \"{caller.TokenName}\"" : $"user {caller.UserId}";
}
