using Microsoft.Extensions.Options;
using Tidings.Telemetry;

namespace Tidings.Health;

/// <summary>
/// Runs the <see cref="ReadinessChecks"/> at most once per <see cref="HealthOptions.CacheDuration"/>: every request in
/// that time, and every request while a run is under way, gets the same answer, so a storm of probes costs one run.
/// A check that throws counts as failing; a check's change of state is logged once, not on every probe.
/// </summary>
internal sealed partial class ReadinessProbe(ReadinessChecks checks, NodeIdentity node, IOptions<HealthOptions> options, TimeProvider time, ILogger<ReadinessProbe> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _lastStates = [];
    private Task<ReadinessAnswer>? _current;
    private DateTimeOffset _startedAt;

    public Task<ReadinessAnswer> CurrentAsync()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_current is not null && (!_current.IsCompleted || now - _startedAt < options.Value.CacheDuration)) return _current;
            _startedAt = now;
            // Not tied to any request: one client going away must not fail the answer the others share.
            return _current = Task.Run(() => RunAsync(now), CancellationToken.None);
        }
    }

    private async Task<ReadinessAnswer> RunAsync(DateTimeOffset startedAt)
    {
        var answers = new List<CheckAnswer>();
        foreach (var (name, run) in checks.All())
        {
            var started = time.GetTimestamp();
            CheckOutcome outcome;
            try { outcome = await run(); }
            catch (Exception ex) { outcome = new CheckOutcome(CheckStates.Failing, $"check failed ({ex.GetType().Name})", ex); }

            answers.Add(new CheckAnswer(name, outcome.State, Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 2), outcome.Detail));
            Remember(name, outcome);
        }

        var ready = answers.All(a => a.State != CheckStates.Failing);
        return new ReadinessAnswer(ready ? ReadinessAnswer.Ready : ReadinessAnswer.NotReady, node.Id, startedAt, answers);
    }

    private void Remember(string name, CheckOutcome outcome)
    {
        string? before;
        lock (_lock)
        {
            _lastStates.TryGetValue(name, out before);
            _lastStates[name] = outcome.State;
        }

        if (outcome.State == CheckStates.Failing && before != CheckStates.Failing) LogFailing(outcome.Error, name, outcome.Detail);
        else if (outcome.State != CheckStates.Failing && before == CheckStates.Failing) LogRecovered(name);
    }

    [LoggerMessage(EventId = 19001, Level = LogLevel.Warning, Message = "Readiness check {Check} is failing: {Detail}")]
    private partial void LogFailing(Exception? exception, string check, string detail);

    [LoggerMessage(EventId = 19002, Level = LogLevel.Information, Message = "Readiness check {Check} passes again")]
    private partial void LogRecovered(string check);
}
