using Tidings.Rest;

namespace Tidings.RateLimiting;

/// <summary>
/// The per-caller limit on REST and SOAP API calls. Not the framework's rate limiting middleware: that chooses a
/// partition before the endpoint runs and synchronously, but a SOAP call's token is inside its body and a token is
/// only known valid after an asynchronous lookup. So REST and SOAP ask <see cref="IApiCallLimiter"/> right after
/// authenticating (before the call is counted or does anything), and the framework's partitioned limiter decides.
/// Endpoints marked with <c>DisableRateLimiting()</c> (the mail transfer agent's results) are not limited.
/// </summary>
internal static class RateLimitingFeature
{
    public static WebApplicationBuilder AddApiRateLimit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RateLimitMetrics>();
        builder.Services.AddSingleton<ApiCallLimiter>();
        builder.Services.AddSingleton<IApiCallLimiter>(sp => sp.GetRequiredService<ApiCallLimiter>());
        return builder;
    }
}
