namespace Tidings.Rest;

/// <summary>
/// Counts each authenticated API call of an account. The consumption feature implements it; the REST conventions
/// count through it, so they do not depend on that feature.
/// </summary>
internal interface IApiCallCounter
{
    void Count(long accountId);
}
