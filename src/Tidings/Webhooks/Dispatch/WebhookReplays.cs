using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Rejections;

namespace Tidings.Webhooks.Dispatch;

/// <summary>A replay and how far it has got.</summary>
internal sealed class ReplayRecord
{
    public long Id { get; init; }
    public long WebhookId { get; init; }
    public long AccountId { get; init; }
    public string Kind { get; init; } = "";
    public long? RangeFrom { get; init; }
    public long? RangeTo { get; init; }
    public string Status { get; init; } = "";
    public long Scanned { get; init; }
    public long Total { get; init; }
    public long Queued { get; init; }
    public long Position { get; init; }
    public string? Error { get; init; }
    public long Created { get; init; }
    public long? Finished { get; init; }

    /// <summary>Which part could not be replayed because retention removed those events (null: nothing).</summary>
    public string? Lost { get; init; }
}

/// <summary>How the deliveries a replay queued have fared.</summary>
internal sealed record ReplayProgress(long Delivered, long Pending, long Failed);

/// <summary>
/// Sends events again: one event, one delivery, every failed delivery of a webhook, or every matching event of a time
/// range. A replay queues deliveries in the retry store (due at once); the webhook's runner sends them next to its
/// new events. A time range is scanned in steps by <see cref="ReplayWorker"/>, each step committed with its progress,
/// so a restart resumes where it stopped.
/// </summary>
internal sealed class WebhookReplays(
    IStorage storage, JournalReader journal, JournalLookups lookups, TimeProvider time, WebhookDispatcher dispatcher, IEnumerable<IRetentionRule> retention, CopernicaTime copernicaTime)
{
    private readonly Channel<long> _work = Channel.CreateUnbounded<long>();

    public const string NoEvent = "No event with supplied ID";
    public const string NoDelivery = "No delivery with supplied ID";
    public const string NoReplay = "No replay with supplied ID";
    public const string EventRemoved = "The event of this delivery is no longer in the journal (retention removed it)";

    /// <summary>SQL condition: the delivery's journal record still exists (retention may have removed old ones).</summary>
    private static readonly string EventKept = JournalLookups.RecordKept("webhook_deliveries.journal_seq");

    internal ChannelReader<long> Work => _work.Reader;

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string? ProfileKeyOf(string journalPayload)
    {
        using var payload = JsonDocument.Parse(journalPayload);
        return ActiveWebhook.ProfileKey(payload.RootElement);
    }

    /// <summary>Queues one journal event (by its id) for the webhook, whether or not it was delivered before.</summary>
    public async Task<long> ReplayEventAsync(WebhookRecord webhook, string eventId, CancellationToken ct)
    {
        var id = await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var row = await lookups.FindEventAsync(w, webhook.AccountId, eventId) ?? throw new RequestRejectedException(NoEvent);
            var replay = await CreateAsync(w, webhook, "event", null, null, "done", 1);
            await InsertPendingAsync(w, webhook, replay, row.Seq, eventId, ProfileKeyOf(row.Payload));
            return replay;
        }, ct);
        dispatcher.Wake(webhook.Id);
        return id;
    }

    /// <summary>Queues one delivery (a failed, pending or delivered one) to be sent again now.</summary>
    public async Task<long> ReplayDeliveryAsync(WebhookRecord webhook, string deliveryId, CancellationToken ct)
    {
        if (!RestIds.TryParse(deliveryId, out var delivery)) throw new RequestRejectedException(NoDelivery);
        var id = await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var kept = await w.Connection.QuerySingleOrDefaultAsync<bool?>(
                $"SELECT {EventKept} FROM webhook_deliveries WHERE id = @delivery AND webhook_id = @Id", new { delivery, webhook.Id }, w.Transaction);
            if (kept is null) throw new RequestRejectedException(NoDelivery);
            if (kept == false) throw new RequestRejectedException(EventRemoved);
            var replay = await CreateAsync(w, webhook, "delivery", null, null, "done", 1);
            await w.Connection.ExecuteAsync(
                "UPDATE webhook_deliveries SET status = 'pending', next_attempt = @now, first_attempt = NULL, replay_id = @replay WHERE id = @delivery",
                new { now = Now(), replay, delivery }, w.Transaction);
            return replay;
        }, ct);
        dispatcher.Wake(webhook.Id);
        return id;
    }

    /// <summary>Queues every failed delivery of the webhook (each gets a fresh retry window).</summary>
    public async Task<long> ReplayFailedAsync(WebhookRecord webhook, CancellationToken ct)
    {
        var id = await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var replay = await CreateAsync(w, webhook, "failed", null, null, "running", 0);
            var failed = await w.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = @Id AND status = 'failed'", new { webhook.Id }, w.Transaction);
            var queued = await w.Connection.ExecuteAsync(
                $"UPDATE webhook_deliveries SET status = 'pending', next_attempt = @now, first_attempt = NULL, replay_id = @replay WHERE webhook_id = @Id AND status = 'failed' AND {EventKept}",
                new { now = Now(), replay, webhook.Id }, w.Transaction);
            // Failed deliveries whose events retention removed cannot be sent again; the replay says how many.
            var error = failed > queued ? $"{failed - queued} failed deliveries were not replayed: their events are no longer in the journal (retention removed them)" : null;
            await w.Connection.ExecuteAsync(
                "UPDATE webhook_replays SET status = 'done', scanned = @failed, total = @failed, queued = @queued, error = @error, lost = @error, finished = @now WHERE id = @replay",
                new { failed, queued, error, now = Now(), replay }, w.Transaction);
            return replay;
        }, ct);
        dispatcher.Wake(webhook.Id);
        return id;
    }

    /// <summary>Starts a replay of every event of the webhook's types and scope that happened in [from, to] (Unix ms).</summary>
    public async Task<long> ReplayRangeAsync(WebhookRecord webhook, long from, long to, CancellationToken ct)
    {
        if (to < from) throw new RequestRejectedException("The end of the time range lies before its start");
        var types = ActiveWebhook.From(webhook, []).JournalTypes;
        var id = await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var total = await lookups.CountAsync(w, webhook.AccountId, from, to, types);
            var replay = await CreateAsync(w, webhook, "range", from, to, "running", 0);
            await w.Connection.ExecuteAsync("UPDATE webhook_replays SET total = @total, lost = @lost WHERE id = @replay", new { total, replay, lost = LostOfRange(types, from) }, w.Transaction);
            return replay;
        }, ct);
        _work.Writer.TryWrite(id);
        return id;
    }

    /// <summary>Runs one step of a range replay; false when it is finished.</summary>
    public async Task<bool> StepAsync(long replayId, int batchSize, CancellationToken ct)
    {
        ReplayRecord? replay;
        WebhookRecord? webhook;
        await using (var c = await storage.OpenReadAsync(ct))
        {
            replay = await c.QuerySingleOrDefaultAsync<ReplayRecord>(Select + " WHERE id = @replayId", new { replayId });
            webhook = replay is null ? null : await c.QuerySingleOrDefaultAsync<WebhookRecord>(
                $"SELECT {WebhookStore.Columns} FROM webhooks WHERE id = @WebhookId",
                new { replay.WebhookId });
        }

        if (replay is not { Status: "running", Kind: "range" }) return false;
        if (webhook is null)
        {
            await storage.WriteAsync(w => w.Connection.ExecuteAsync(
                "UPDATE webhook_replays SET status = 'failed', error = 'The webhook was removed', finished = @now WHERE id = @replayId", new { now = Now(), replayId }, w.Transaction), ct);
            return false;
        }

        var active = ActiveWebhook.From(webhook, []);
        var more = await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var rows = await journal.ReadAsync(w, new JournalRange(replay.Position)
            {
                AccountId = webhook.AccountId, OccurredFrom = replay.RangeFrom, OccurredTo = replay.RangeTo, Types = active.JournalTypes, Limit = batchSize,
            });
            var queued = 0;
            foreach (var row in rows)
            {
                using var payload = JsonDocument.Parse(row.Payload);
                if (!active.Matches(row.Type, payload.RootElement)) continue;
                await InsertPendingAsync(w, webhook, replayId, row.Seq, row.EventId, ActiveWebhook.ProfileKey(payload.RootElement));
                queued++;
            }

            var done = rows.Count < batchSize;
            await w.Connection.ExecuteAsync(
                "UPDATE webhook_replays SET position = @position, scanned = scanned + @scanned, queued = queued + @queued, status = @status, finished = @finished WHERE id = @replayId",
                new { position = rows.Count > 0 ? rows[^1].Seq : replay.Position, scanned = rows.Count, queued, status = done ? "done" : "running", finished = done ? Now() : (long?)null, replayId },
                w.Transaction);
            return !done;
        }, ct);
        dispatcher.Wake(webhook.Id);
        return more;
    }

    /// <summary>Range replays that were running when the server stopped.</summary>
    public async Task<IReadOnlyList<long>> RunningAsync(CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<long>("SELECT id FROM webhook_replays WHERE status = 'running' AND kind = 'range' ORDER BY id")).ToList();
    }

    public async Task<(ReplayRecord Replay, ReplayProgress Progress)> RequireAsync(long webhookId, string replayId, CancellationToken ct)
    {
        if (!RestIds.TryParse(replayId, out var id)) throw new RequestRejectedException(NoReplay);
        await using var c = await storage.OpenReadAsync(ct);
        var replay = await c.QuerySingleOrDefaultAsync<ReplayRecord>(Select + " WHERE id = @id AND webhook_id = @webhookId", new { id, webhookId })
            ?? throw new RequestRejectedException(NoReplay);
        var counts = (await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM webhook_deliveries WHERE replay_id = @id GROUP BY status", new { id }))
            .ToDictionary(x => x.Status, x => x.Count);
        return (replay, new ReplayProgress(counts.GetValueOrDefault("delivered"), counts.GetValueOrDefault("pending"), counts.GetValueOrDefault("failed")));
    }

    public async Task<(IReadOnlyList<ReplayRecord> Items, long Total)> ListAsync(long webhookId, long offset, long take, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<ReplayRecord>(Select + " WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @take OFFSET @skip",
            new { webhookId, take, skip = offset })).ToList();
        return (items, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_replays WHERE webhook_id = @webhookId", new { webhookId }));
    }

    private const string Select =
        "SELECT id, webhook_id AS WebhookId, account_id AS AccountId, kind, range_from AS RangeFrom, range_to AS RangeTo, status, scanned, total, queued, position, error, lost, created, finished FROM webhook_replays";

    /// <summary>
    /// What part of a range from <paramref name="from"/> retention has removed, per rule that covers the webhook's
    /// types (records a consumer still held may remain, but a replay cannot count on them); null: none.
    /// </summary>
    private string? LostOfRange(IReadOnlyList<string> types, long from)
    {
        var now = time.GetUtcNow();
        var parts = retention
            .Where(r => r.KeepFor is not null && r.Types.Intersect(types).Any())
            .Select(r => (Rule: r, Cutoff: now.Subtract(r.KeepFor!.Value).ToUnixTimeMilliseconds()))
            .Where(x => from < x.Cutoff)
            .Select(x => $"{string.Join(", ", x.Rule.Types.Intersect(types))} events before {copernicaTime.FormatMs(x.Cutoff)} ({x.Rule.Setting})")
            .ToList();
        return parts.Count == 0 ? null : "Retention removed " + string.Join("; ", parts) + ": they are no longer in the journal and were not replayed";
    }

    private Task<long> CreateAsync(WriteContext w, WebhookRecord webhook, string kind, long? from, long? to, string status, long queued) =>
        w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO webhook_replays (webhook_id, account_id, kind, range_from, range_to, status, scanned, total, queued, created, finished) " +
            "VALUES (@Id, @AccountId, @kind, @from, @to, @status, @queued, @queued, @queued, @now, @finished) RETURNING id",
            new { webhook.Id, webhook.AccountId, kind, from, to, status, queued, now = Now(), finished = status == "done" ? Now() : (long?)null }, w.Transaction);

    private Task InsertPendingAsync(WriteContext w, WebhookRecord webhook, long replayId, long seq, string eventId, string? profileKey) =>
        w.Connection.ExecuteAsync(
            "INSERT INTO webhook_deliveries (webhook_id, account_id, journal_seq, event_id, profile_key, status, attempts, next_attempt, replay_id, created) " +
            "VALUES (@Id, @AccountId, @seq, @eventId, @profileKey, 'pending', 0, @now, @replayId, @now)",
            new { webhook.Id, webhook.AccountId, seq, eventId, profileKey, now = Now(), replayId }, w.Transaction);
}

/// <summary>Works through range replays, one step (a committed batch) at a time; resumes unfinished ones after a restart.</summary>
internal sealed class ReplayWorker(WebhookReplays replays, IOptions<DispatchOptions> options, ILogger<ReplayWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var id in await replays.RunningAsync(stoppingToken)) await RunAsync(id, stoppingToken);
            await foreach (var id in replays.Work.ReadAllAsync(stoppingToken)) await RunAsync(id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(long id, CancellationToken ct)
    {
        try
        {
            while (await replays.StepAsync(id, options.Value.ReplayBatchSize, ct))
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.ReplayFailed(ex, id);
        }
    }
}
