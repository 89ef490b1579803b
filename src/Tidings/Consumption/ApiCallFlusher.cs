using Microsoft.Extensions.Options;

namespace Tidings.Consumption;

/// <summary>
/// Adds the API calls counted in memory to storage every <see cref="ConsumptionOptions.ApiCallFlushInterval"/>, and a
/// last time when the server stops. A failed write keeps the counts for the next attempt. Reading the calls of a period
/// (stored plus not yet stored) waits for a flush in progress, so no call is seen twice or missed.
/// </summary>
internal sealed partial class ApiCallFlusher(ApiCallCounter counter, ConsumptionStore store, TimeProvider time, IOptions<ConsumptionOptions> options, ILogger<ApiCallFlusher> logger) : BackgroundService
{
    // Never disposed: the host may dispose this service while its last flush still runs (a SemaphoreSlim that
    // never hands out its wait handle holds nothing to release).
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.ApiCallFlushInterval, time, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes the counts gathered so far; false (and the counts kept) when the write failed.</summary>
    public async Task<bool> FlushAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var counts = counter.TakeForFlush();
            if (counts.Count == 0) return true;
            await store.AddApiCallsAsync(counts, ct);
            counter.Flushed();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFlushFailed(ex);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The account's API calls in the hours starting in [fromMs, toMs): stored ones and those still in memory.</summary>
    public async Task<long> CallsAsync(long accountId, long fromMs, long toMs, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await store.ApiCallsAsync(accountId, fromMs, toMs, ct) + counter.Unflushed(accountId, fromMs, toMs);
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Writing API call counts failed; they are kept for the next attempt")]
    private partial void LogFlushFailed(Exception ex);
}
