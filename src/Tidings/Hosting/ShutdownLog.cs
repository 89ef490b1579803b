using Microsoft.Extensions.Options;
using Tidings.Telemetry;

namespace Tidings.Hosting;

/// <summary>
/// Logs the node's name once it has started, and the phases of an orderly stop (SIGTERM, <c>systemctl stop</c>, <c>docker stop</c>) with their durations. Hosted
/// services stop in the reverse order of their registration: this one is registered first, so it hears the stop before
/// everything else and finishes after everything else; <see cref="RequestsStopped"/>, registered last, stops right
/// after the web server. The services in between (webhook delivery, the delivery ledger, the journal writer, the
/// intake log) log their own phase.
/// </summary>
internal sealed partial class ShutdownLog(IOptions<ServerOptions> options, NodeIdentity node, TimeProvider time, ILogger<ShutdownLog> logger) : IHostedLifecycleService
{
    private long _began;

    /// <summary>Milliseconds since the stop began.</summary>
    public long ElapsedMs => _began == 0 ? 0 : (long)time.GetElapsedTime(_began).TotalMilliseconds;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _began = time.GetTimestamp();
        LogStopping(options.Value.ShutdownTimeout.TotalSeconds);
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) LogOutlasted(ElapsedMs, options.Value.ShutdownTimeout.TotalSeconds);
        else LogStopped(ElapsedMs);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        LogStarted(node.Id);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal void RequestsHaveStopped() => LogRequestsStopped(ElapsedMs);

    [LoggerMessage(EventId = 19404, Level = LogLevel.Information, Message = "Started as node {NodeId} (Server:NodeId)")]
    private partial void LogStarted(string nodeId);

    [LoggerMessage(EventId = 19400, Level = LogLevel.Information, Message = "Stopping: no new requests are taken; in-flight work gets up to {ShutdownTimeoutSeconds} s (Server:ShutdownTimeout)")]
    private partial void LogStopping(double shutdownTimeoutSeconds);

    [LoggerMessage(EventId = 19401, Level = LogLevel.Information, Message = "Stopped taking requests; requests in flight finished after {ElapsedMs} ms")]
    private partial void LogRequestsStopped(long elapsedMs);

    [LoggerMessage(EventId = 19402, Level = LogLevel.Information, Message = "Stopped in order after {ElapsedMs} ms")]
    private partial void LogStopped(long elapsedMs);

    [LoggerMessage(EventId = 19403, Level = LogLevel.Warning, Message = "The stop outlasted Server:ShutdownTimeout ({ShutdownTimeoutSeconds} s) and was cut short after {ElapsedMs} ms; what was not finished is taken up at the next start")]
    private partial void LogOutlasted(long elapsedMs, double shutdownTimeoutSeconds);
}

/// <summary>
/// Registered after every feature, so that the host stops it right after the web server (registered at build, last):
/// by then no request is taken and those in flight have finished, while everything they use still runs.
/// </summary>
internal sealed class RequestsStopped(ShutdownLog log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        log.RequestsHaveStopped();
        return Task.CompletedTask;
    }
}
