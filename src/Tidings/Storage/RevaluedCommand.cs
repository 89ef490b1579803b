using System.Data.Common;

namespace Tidings.Storage;

/// <summary>
/// A statement run once per row on a hot path (inside a unit of work): its parameters <c>@p0</c>, <c>@p1</c>, … are
/// made once and only given new values for each row, which costs far less than building and binding named parameters
/// per row.
/// </summary>
public sealed class RevaluedCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _values;

    public RevaluedCommand(WriteContext w, string sql, int parameters)
    {
        _command = w.Connection.CreateCommand();
        _command.Transaction = w.Transaction;
        _command.CommandText = sql;
        _values = new DbParameter[parameters];
        for (var i = 0; i < parameters; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@p" + i;
            _command.Parameters.Add(p);
            _values[i] = p;
        }
    }

    /// <summary>The value of <c>@p{index}</c> for the next execution (null: SQL NULL).</summary>
    public object? this[int index]
    {
        set => _values[index].Value = value ?? DBNull.Value;
    }

    public Task<int> ExecuteAsync() => _command.ExecuteNonQueryAsync();

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
