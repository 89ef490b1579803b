namespace Tidings.Rest;

/// <summary>
/// Admits or refuses an authenticated API call before it does any work. The rate limiting feature implements it; REST
/// and SOAP ask after authenticating and before counting the call, so they do not depend on that feature.
/// </summary>
internal interface IApiCallLimiter
{
    /// <summary>Returns when <paramref name="caller"/> may go on; throws <see cref="ApiCallRefusedException"/> when not.</summary>
    ValueTask AdmitAsync(Caller caller, string api, CancellationToken ct);
}

/// <summary>
/// A call refused by the rate limit: REST answers it with Copernica's error body and <paramref name="status"/>, SOAP
/// with a client Fault; both send <c>Retry-After</c> with <paramref name="retryAfterSeconds"/>.
/// </summary>
internal sealed class ApiCallRefusedException(string message, int status, int retryAfterSeconds) : Exception(message)
{
    public int Status { get; } = status;

    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
