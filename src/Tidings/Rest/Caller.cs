namespace Tidings.Rest;

/// <summary>Who is calling: the account a token belongs to, whether it may change data, and the token's name (for the audit log).</summary>
internal sealed record Caller(long AccountId, long TokenId, bool CanWrite, string TokenName = "");
