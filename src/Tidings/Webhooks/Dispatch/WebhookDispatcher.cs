using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Runs one <see cref="WebhookRunner"/> per deliverable webhook (enabled, handler under a validated domain), keeps them
/// in step with the configuration (reloaded every <see cref="DispatchOptions.RefreshInterval"/>), and polls the
/// journal's end so runners hear of new events. On PostgreSQL only one node delivers at a time (an advisory lock);
/// another node takes over when it goes away.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    internal const long LeaderLockKey = 0x7469_6469_6e67_7701; // "tidingw" + 1

    private readonly IStorage _storage;
    private readonly DispatchOptions _options;
    private readonly RunnerServices _services;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly WebhookMetrics _metrics;
    private readonly Dictionary<long, WebhookRunner> _runners = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _refreshNow = new(0, 1);
    private DbConnection? _leaderConnection;

    /// <summary>How long a stopping runner's calls in flight may take (a little more than the request timeout).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    public WebhookDispatcher(
        IStorage storage, DeliveryLedger ledger, WebhookSender sender, WebhookPayloads payloads, JournalHead head, JournalReader journal,
        IOptions<DispatchOptions> options, TimeProvider time, WebhookMetrics metrics, ILogger<WebhookDispatcher> logger)
    {
        _storage = storage;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        _services = new RunnerServices(storage, ledger, sender, payloads, head, journal, _options, time, new SemaphoreSlim(_options.MaxConcurrentCalls), logger, metrics);
        metrics.ObserveBacklogs(Backlogs);
    }

    /// <summary>
    /// Its loop is alive (false when <see cref="DispatchOptions.Enabled"/> is off, or once stopped), whether or not this
    /// node holds the delivery lease.
    /// </summary>
    public bool IsRunning => ExecuteTask is { IsCompleted: false };

    /// <summary>Reload the configuration now (instead of at the next refresh).</summary>
    public void Refresh()
    {
        try { _refreshNow.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Makes a webhook look for due retries now (after a replay was queued).</summary>
    public void Wake(long webhookId)
    {
        lock (_lock)
        {
            if (_runners.TryGetValue(webhookId, out var runner)) runner.Wake();
        }
    }

    public RunnerStatus? Status(long webhookId)
    {
        lock (_lock) return _runners.TryGetValue(webhookId, out var runner) ? runner.Status() : null;
    }

    /// <summary>Each running webhook's backlog (for the metrics; read under the lock, no query).</summary>
    private List<(long WebhookId, long Backlog)> Backlogs()
    {
        lock (_lock) return [.. _runners.Values.Select(r => (r.Webhook.Id, r.Backlog))];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        var headLoop = Task.Run(() => PollHeadAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await IsLeaderAsync(stoppingToken)) await SyncRunnersAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    _logger.ConfigurationLoadFailed(ex);
                }

                try { await _refreshNow.WaitAsync(_options.RefreshInterval, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        finally
        {
            WebhookRunner[] runners;
            lock (_lock)
            {
                runners = [.. _runners.Values];
                _runners.Clear();
            }

            await StopRunnersAsync(runners);
            await headLoop;
            if (_leaderConnection is not null) await _leaderConnection.DisposeAsync();
        }
    }

    /// <summary>
    /// At the server's stop: calls in flight get <see cref="DispatchOptions.ShutdownGrace"/> to finish; the rest are
    /// cut off and their events stay unsettled (or, for retries, pending), so the next start sends them again with the
    /// same <c>webhook-id</c>.
    /// </summary>
    private async Task StopRunnersAsync(WebhookRunner[] runners)
    {
        if (runners.Length == 0) return;
        var started = _services.Time.GetTimestamp();
        var inFlight = runners.Sum(r => r.InFlightCalls);
        var graceSeconds = _options.ShutdownGrace.TotalSeconds;
        _logger.DeliveryStopping(runners.Length, inFlight, graceSeconds);
        var cancelled = (await Task.WhenAll(runners.Select(r => r.StopAsync(_options.ShutdownGrace)))).Sum();
        var elapsedMs = (long)_services.Time.GetElapsedTime(started).TotalMilliseconds;
        if (cancelled == 0) _logger.DeliveryStopped(elapsedMs);
        else _logger.DeliveryCallsHandedBack(cancelled, elapsedMs);
    }

    private async Task PollHeadAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                bool any;
                lock (_lock) any = _runners.Count > 0;
                if (any) await _services.Head.RefreshAsync(ct);
                await Task.Delay(_options.HeadPollInterval, _services.Time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.ReadingJournalEndFailed(ex);
                try { await Task.Delay(TimeSpan.FromSeconds(1), _services.Time, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>SQLite: always (one server per file). PostgreSQL: whoever holds the session advisory lock.</summary>
    private async Task<bool> IsLeaderAsync(CancellationToken ct)
    {
        if (_storage.Dialect.Provider != StorageProvider.Postgres) return true;
        if (_leaderConnection is { State: System.Data.ConnectionState.Open }) return true;
        if (_leaderConnection is not null) await _leaderConnection.DisposeAsync();
        _leaderConnection = await _storage.OpenReadAsync(ct);
        if (await _leaderConnection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@LeaderLockKey)", new { LeaderLockKey })) return true;
        await _leaderConnection.DisposeAsync();
        _leaderConnection = null;
        return false;
    }

    private async Task SyncRunnersAsync(CancellationToken ct)
    {
        List<WebhookRecord> records;
        Dictionary<long, List<string>> domains;
        Dictionary<string, long> cursors;
        await using (var c = await _storage.OpenReadAsync(ct))
        {
            records = (await c.QueryAsync<WebhookRecord>($"SELECT {WebhookStore.Columns} FROM webhooks WHERE enabled = 1")).ToList();
            domains = (await c.QueryAsync<(long AccountId, string Domain)>("SELECT account_id, domain FROM validated_domains WHERE validated_at IS NOT NULL"))
                .GroupBy(d => d.AccountId).ToDictionary(g => g.Key, g => g.Select(d => d.Domain).ToList());
            cursors = await ConsumerCursors.ReadAllAsync(c, WebhookCursors.Prefix);
            _metrics.SetDisabled(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhooks WHERE enabled = 0 AND disabled_reason IS NOT NULL"));
        }

        var wanted = records.Select(r => ActiveWebhook.From(r, domains.GetValueOrDefault(r.AccountId) ?? [])).Where(w => w.Deliverable).ToDictionary(w => w.Id);
        var stopping = new List<WebhookRunner>();
        var starting = new List<(ActiveWebhook Webhook, long? Resume)>();
        lock (_lock)
        {
            foreach (var (id, runner) in _runners)
            {
                if (runner.Status().Disabled)
                {
                    // Disabled by the server after the configuration above was read: not started again from that.
                    stopping.Add(runner);
                    wanted.Remove(id);
                }
                else if (!wanted.TryGetValue(id, out var w)) stopping.Add(runner);
                else if (!Equals(w.ScheduleKey, runner.Webhook.ScheduleKey)) { stopping.Add(runner); starting.Add((w, runner.SafeCursor)); }
                else runner.Update(w);
            }

            foreach (var r in stopping) _runners.Remove(r.Webhook.Id);
            starting.AddRange(wanted.Values.Where(w => !_runners.ContainsKey(w.Id) && starting.All(s => s.Webhook.Id != w.Id)).Select(w => (w, (long?)null)));
        }

        // A runner that is replaced finishes its calls in flight first, so its successor does not send them again.
        await Task.WhenAll(stopping.Select(r => r.StopAsync(StopGrace)));
        foreach (var (webhook, resume) in starting)
        {
            var cursor = resume ?? (cursors.TryGetValue(WebhookCursors.Name(webhook.Id), out var seq) ? seq : await StartCursorAsync(webhook.Id, ct));
            var runner = new WebhookRunner(webhook, cursor, _services);
            lock (_lock) _runners[webhook.Id] = runner;
            runner.Start();
            _logger.RunnerStarted(webhook.Id, webhook.Handler, cursor);
        }

        if (starting.Count > 0) await _services.Head.RefreshAsync(ct);
    }

    /// <summary>A webhook enabled before its cursor existed (e.g. from an older version) starts at the journal's end.</summary>
    private async Task<long> StartCursorAsync(long webhookId, CancellationToken ct) =>
        await _storage.WriteAsync(async w =>
        {
            await WebhookCursors.StartAtEndAsync(w, webhookId);
            return await WebhookCursors.ReadAsync(w, webhookId);
        }, ct);
}
