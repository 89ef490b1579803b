using System.Data.Common;
using Tidings.Storage;

namespace Tidings.Statistics;

/// <summary>
/// Writes changed rows of <c>destination_results</c> with one command whose parameters are made once and re-valued per
/// row: a batch of opens to many destinations writes as many rows, on the single writer's path.
/// </summary>
public sealed class DestinationResultsUpsert : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _values;

    public DestinationResultsUpsert(WriteContext w)
    {
        _command = w.Connection.CreateCommand();
        _command.Transaction = w.Transaction;
        _command.CommandText =
            "INSERT INTO destination_results (destination_id, mailing_id, deliveries, errors, impressions, clicks, unsubscribes, abuses, retries, dominant) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9) " +
            "ON CONFLICT (destination_id) DO UPDATE SET deliveries = excluded.deliveries, errors = excluded.errors, impressions = excluded.impressions, " +
            "clicks = excluded.clicks, unsubscribes = excluded.unsubscribes, abuses = excluded.abuses, retries = excluded.retries, dominant = excluded.dominant";
        _values = new DbParameter[10];
        for (var i = 0; i < _values.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@p" + i;
            _command.Parameters.Add(p);
            _values[i] = p;
        }
    }

    public Task WriteAsync(StatisticsConsumer.DestinationState s)
    {
        _values[0].Value = s.DestinationId;
        _values[1].Value = s.MailingId;
        _values[2].Value = s.Deliveries;
        _values[3].Value = s.Errors;
        _values[4].Value = s.Impressions;
        _values[5].Value = s.Clicks;
        _values[6].Value = s.Unsubscribes;
        _values[7].Value = s.Abuses;
        _values[8].Value = s.Retries;
        _values[9].Value = s.Dominant;
        return _command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
