using System.Threading.Channels;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The workers of one webhook: each takes events (or a batch) from its lane, waits for its turn with the receiver
/// (<see cref="ReceiverHealth"/>) and a global call slot, calls, and records the outcome in the ledger: delivered, to
/// be retried, failed, or, for an ordered webhook, retried in place so that no later event of the profile overtakes it.
/// What follows a failure is decided by <see cref="FailureDecision"/>; the runner settles the events once their outcome
/// is durable.
/// </summary>
internal sealed class WebhookWorkers(WebhookRunner runner, RunnerServices services, ReceiverHealth health) : IDisposable
{
    private readonly RetryPolicy _policy = new(services.Options);
    private readonly CancellationTokenSource _stopCalls = new();
    private long _delivered;
    private long _failed;
    private int _inFlight;
    private volatile bool _disabled;

    // The server's disabling of the webhook is committed: from then on the dispatcher may stop this runner for good
    // (before, the webhook still reads as enabled, and a runner started in its place would send the events again).
    private volatile bool _disableRecorded;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long FailedCalls => Interlocked.Read(ref _failed);

    /// <summary>Calls to the receiver under way right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public bool DisableRecorded => _disableRecorded;

    /// <summary>Cancels the calls in flight (when they outlast the grace of a stop).</summary>
    public void CancelCalls() => _stopCalls.Cancel();

    /// <summary>One worker: takes from <paramref name="lane"/> until it is completed or <paramref name="ct"/> stops reading.</summary>
    public async Task WorkAsync(Channel<DeliveryItem> lane, CancellationToken ct)
    {
        var batch = new List<DeliveryItem>();
        try
        {
            while (await lane.Reader.WaitToReadAsync(ct))
            {
                if (_disabled) return;
                batch.Clear();
                await TakeBatchAsync(lane, batch, ct);
                if (batch.Count == 0) continue;
                if (runner.WantsMore) runner.Wake();
                try
                {
                    await DeliverAsync(batch);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A fault of this server, not the receiver's: the worker carries on, and the events go to the
                    // retry store instead of staying unsettled (which would hold the cursor until a restart).
                    services.Logger.DeliveryFaulted(ex, runner.Webhook.Id, batch.Count);
                    await ScheduleRetryAfterFaultAsync(batch, ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested || _stopCalls.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            services.Logger.WorkerStopped(ex, runner.Webhook.Id);
        }
    }

    private async Task TakeBatchAsync(Channel<DeliveryItem> lane, List<DeliveryItem> batch, CancellationToken ct)
    {
        var webhook = runner.Webhook;
        if (!lane.Reader.TryRead(out var first)) return;
        batch.Add(first);
        if (!webhook.Batched) return;
        var time = services.Time;
        var started = time.GetTimestamp();
        while (batch.Count < webhook.BatchMaxEvents)
        {
            if (lane.Reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }

            var left = TimeSpan.FromMilliseconds(webhook.BatchMaxMs) - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return;
            using var wait = new CancellationTokenSource(left, time);
            using var stopping = ct.UnsafeRegister(static w => ((CancellationTokenSource)w!).Cancel(), wait);
            try
            {
                if (!await lane.Reader.WaitToReadAsync(wait.Token)) return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(List<DeliveryItem> items)
    {
        var calls = _stopCalls.Token;
        while (!_disabled)
        {
            var probing = await health.WaitForTurnAsync(calls);
            var webhook = runner.Webhook;
            AttemptResult result;
            long attemptedMs, started;
            var retry = IsRetry(items);
            var calling = false;
            try
            {
                await services.GlobalCalls.WaitAsync(calls);
                try
                {
                    attemptedMs = NowMs();
                    started = services.Time.GetTimestamp();
                    Interlocked.Increment(ref _inFlight);
                    calling = true;
                    result = await services.Sender.SendAsync(webhook, items, calls);
                }
                finally
                {
                    if (calling) Interlocked.Decrement(ref _inFlight);
                    services.GlobalCalls.Release();
                }
            }
            finally
            {
                if (probing) health.EndProbe();
            }

            var took = services.Time.GetElapsedTime(started);
            var messageId = WebhookSender.MessageId(items);
            var snapshots = Snapshots(items, attemptedMs);
            if (result.Success)
            {
                if (health.OnSuccess(webhook.MaxPerSecond))
                {
                    // The pause is over: retries that waited out the failures are due now.
                    _ = services.Ledger.RecordAsync(new PullForwardEntry(webhook.Id, NowMs())).AsTask();
                    runner.Wake();
                }

                Interlocked.Add(ref _delivered, items.Count);
                services.Metrics.Called(WebhookMetrics.Outcome.Delivered, result.Status, took, retry);
                await services.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, Disposition.Delivered, null) { AfterCommit = runner.Settling(items) });
                return;
            }

            Interlocked.Increment(ref _failed);
            foreach (var item in items) item.FirstAttempt ??= attemptedMs;
            var decision = health.OnFailure(result, attemptedMs, items.Max(i => i.Attempts) + 1, items.Min(i => i.FirstAttempt!.Value), webhook.MaxPerSecond);
            if (decision.DisableReason is { } disableReason)
            {
                // The webhook stops here: keep these events as failed deliveries, so they can be replayed.
                _disabled = true; // no more calls from any worker
                services.Metrics.Called(WebhookMetrics.Outcome.Disabled, result.Status, took, retry);
                await services.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, Disposition.Failed, attemptedMs) { AfterCommit = runner.Settling(items) });
                await services.Ledger.RecordAsync(new DisableEntry(webhook, disableReason) { AfterCommit = () => _disableRecorded = true });
                return;
            }

            var delay = decision.RetryDelay;
            var within = decision.WithinRetryWindow;
            if (webhook.Ordered && items.All(i => i.DeliveryId is null) && within)
            {
                // In place: the next event of this profile must not overtake this one.
                services.Metrics.Called(WebhookMetrics.Outcome.Held, result.Status, took, retry);
                await services.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, Disposition.Held, null));
                foreach (var item in items) item.Attempts++;
                await runner.Delay(delay, calls);
                continue;
            }

            var disposition = within ? Disposition.Retry : Disposition.Failed;
            services.Metrics.Called(within ? WebhookMetrics.Outcome.Retry : WebhookMetrics.Outcome.Failed, result.Status, took, retry);
            await services.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, disposition, attemptedMs + (long)delay.TotalMilliseconds) { AfterCommit = runner.Settling(items) });
            return;
        }
    }

    private async Task ScheduleRetryAfterFaultAsync(List<DeliveryItem> items, Exception ex)
    {
        var now = NowMs();
        var result = new AttemptResult(null, 0, "Internal error: " + ex.Message, null, new Dictionary<string, string>(), null, null);
        var next = now + (long)_policy.Backoff(items.Max(i => i.Attempts) + 1).TotalMilliseconds;
        await services.Ledger.RecordAsync(new AttemptEntry(runner.Webhook, WebhookSender.MessageId(items), Snapshots(items, now), result, now, Disposition.Retry, next) { AfterCommit = runner.Settling(items) });
    }

    /// <summary>Whether a call repeats an earlier failed one (an event of it was attempted before).</summary>
    private static bool IsRetry(List<DeliveryItem> items)
    {
        foreach (var item in items)
        {
            if (item.Attempts > 0) return true;
        }

        return false;
    }

    private static DeliverySnapshot[] Snapshots(List<DeliveryItem> items, long attemptedMs)
    {
        var snapshots = new DeliverySnapshot[items.Count];
        for (var i = 0; i < snapshots.Length; i++) snapshots[i] = DeliverySnapshot.Of(items[i], attemptedMs);
        return snapshots;
    }

    private long NowMs() => services.Time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose() => _stopCalls.Dispose();
}
