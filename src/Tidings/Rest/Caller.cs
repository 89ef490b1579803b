namespace Tidings.Rest;

/// <summary>Who is calling: the account a token belongs to and whether it may change data.</summary>
internal sealed record Caller(long AccountId, long TokenId, bool CanWrite);
