using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tidings.LogRedaction;

/// <summary>Access tokens and Authorization headers never reach a log, whatever the log levels and providers configured.</summary>
internal static class LogRedactionFeature
{
    public static WebApplicationBuilder AddLogRedaction(this WebApplicationBuilder builder)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        return builder;
    }
}
