namespace Tidings.Rest;

/// <summary>
/// Who is calling: the account, whether it may change data, and for the audit log either the access token (its id and
/// name) or, for a SOAP <c>login</c> session, the user (<see cref="UserId"/> and <see cref="UserEmail"/>; token id 0).
/// </summary>
internal sealed record Caller(long AccountId, long TokenId, bool CanWrite, string TokenName = "", long UserId = 0, string UserEmail = "");
