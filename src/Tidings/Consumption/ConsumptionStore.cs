using Dapper;
using Tidings.Storage;

namespace Tidings.Consumption;

/// <summary>What an account used in a period: emails (from the destinations) and API calls (from the hourly counts).</summary>
internal sealed class ConsumptionStore(IStorage storage)
{
    /// <summary>Adds counted API calls to the stored hourly counts, in one transaction.</summary>
    public Task AddApiCallsAsync(IReadOnlyDictionary<ApiCallHour, long> counts, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            foreach (var (key, calls) in counts)
            {
                await w.Connection.ExecuteAsync(
                    "INSERT INTO api_calls (account_id, hour, calls) VALUES (@AccountId, @HourMs, @calls) " +
                    "ON CONFLICT (account_id, hour) DO UPDATE SET calls = api_calls.calls + excluded.calls",
                    new { key.AccountId, key.HourMs, calls }, w.Transaction);
            }

            return counts.Count;
        }, ct);

    /// <summary>Stored API calls of the account in the hours starting in [fromMs, toMs).</summary>
    public async Task<long> ApiCallsAsync(long accountId, long fromMs, long toMs, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT SUM(calls) FROM api_calls WHERE account_id = @accountId AND hour >= @fromMs AND hour < @toMs",
            new { accountId, fromMs, toMs }, cancellationToken: ct)) ?? 0;
    }

    /// <summary>Emails the account's mailings sent (attempted) in [fromMs, toMs): one per destination.</summary>
    public async Task<long> EmailsAsync(long accountId, long fromMs, long toMs, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM destinations WHERE account_id = @accountId AND sent >= @fromMs AND sent < @toMs",
            new { accountId, fromMs, toMs }, cancellationToken: ct));
    }
}
