using System.Data.Common;
using Tidings.Storage;

namespace Tidings.Webhooks.Dispatch;

/// <summary>One row of <c>webhook_attempts</c>: a call and what came back.</summary>
public sealed record AttemptRow(
    long WebhookId, long AccountId, string EventId, int Events, int Attempt, long Attempted, int? Status, long LatencyMs, string? Error, string? Response, string? RemoteIp);

/// <summary>
/// Inserts the attempts of a ledger batch with one command whose parameters are made once and only re-valued per row
/// (every delivery records an attempt, so this is on the engine's hot path).
/// </summary>
public sealed class AttemptInserter : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _values;

    public AttemptInserter(WriteContext w)
    {
        _command = w.Connection.CreateCommand();
        _command.Transaction = w.Transaction;
        _command.CommandText =
            "INSERT INTO webhook_attempts (webhook_id, account_id, event_id, events, attempt, attempted, status, latency_ms, error, response, remote_ip) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)";
        _values = new DbParameter[11];
        for (var i = 0; i < _values.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@p" + i;
            _command.Parameters.Add(p);
            _values[i] = p;
        }
    }

    public Task InsertAsync(AttemptRow a)
    {
        _values[0].Value = a.WebhookId;
        _values[1].Value = a.AccountId;
        _values[2].Value = a.EventId;
        _values[3].Value = a.Events;
        _values[4].Value = a.Attempt;
        _values[5].Value = a.Attempted;
        _values[6].Value = (object?)a.Status ?? DBNull.Value;
        _values[7].Value = a.LatencyMs;
        _values[8].Value = (object?)a.Error ?? DBNull.Value;
        _values[9].Value = (object?)a.Response ?? DBNull.Value;
        _values[10].Value = (object?)a.RemoteIp ?? DBNull.Value;
        return _command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
