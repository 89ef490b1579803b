using Microsoft.Extensions.Options;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Development;

/// <summary>
/// Says at every start, as a warning, that the loopback development setting is on: left on by mistake on a shared
/// server, it lets any account send webhooks to services listening on that machine.
/// </summary>
internal sealed partial class LoopbackWarning(IOptions<WebhookDevelopmentOptions> options, ILogger<LoopbackWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AllowLoopback) LoopbackAllowed(logger, WebhookDevelopmentOptions.AllowLoopbackSetting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 14501, Level = LogLevel.Warning,
        Message = "{Setting} is on: for development only. Webhooks may be sent to this machine (localhost, 127.0.0.0/8, ::1), and any account may claim and validate those hosts; never leave it on where others have accounts")]
    private static partial void LoopbackAllowed(ILogger logger, string setting);
}
