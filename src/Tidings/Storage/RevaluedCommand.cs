using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tidings.Storage;

/// <summary>
/// A statement run once per row on a hot path (inside a unit of work): its parameters <c>@p0</c>, <c>@p1</c>, … are
/// made once and only given new values for each row, which costs far less than building and binding named parameters
/// per row. On SQLite the statement is prepared and bound through SQLite's own API (by position, found once):
/// Microsoft.Data.Sqlite looks every parameter up by name and converts the name on each execution, which cost more
/// than the insert itself (4.2 against 2.9 µs per webhook attempt row, measured).
/// </summary>
internal sealed class RevaluedCommand : IAsyncDisposable
{
    private readonly DbCommand? _command;
    private readonly DbParameter[] _values = [];
    private readonly sqlite3? _database;
    private readonly sqlite3_stmt? _statement;
    private readonly int[] _positions = [];
    private readonly object?[] _pending = [];

    public RevaluedCommand(WriteContext w, string sql, int parameters)
    {
        if (w.Connection is SqliteConnection { Handle: { } database })
        {
            _database = database;
            var rc = raw.sqlite3_prepare_v2(database, sql, out var statement);
            if (rc != raw.SQLITE_OK)
            {
                statement?.Dispose();
                Check(rc);
            }

            _statement = statement;
            _positions = new int[parameters];
            _pending = new object?[parameters];
            for (var i = 0; i < parameters; i++)
            {
                _positions[i] = raw.sqlite3_bind_parameter_index(statement, "@p" + i);
                if (_positions[i] == 0) throw new ArgumentException($"The statement has no parameter @p{i}.", nameof(sql));
            }

            return;
        }

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
        set
        {
            if (_statement is not null) _pending[index] = value;
            else _values[index].Value = value ?? DBNull.Value;
        }
    }

    /// <summary>Runs the statement with the values set; returns the rows it changed.</summary>
    public Task<int> ExecuteAsync()
    {
        if (_statement is null) return _command!.ExecuteNonQueryAsync();
        try
        {
            for (var i = 0; i < _pending.Length; i++) Bind(_positions[i], _pending[i]);
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) Check(rc);
            return Task.FromResult(raw.sqlite3_changes(_database));
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private void Bind(int position, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, position),
            long l => raw.sqlite3_bind_int64(_statement, position, l),
            int n => raw.sqlite3_bind_int64(_statement, position, n),
            short n => raw.sqlite3_bind_int64(_statement, position, n),
            byte n => raw.sqlite3_bind_int64(_statement, position, n),
            bool b => raw.sqlite3_bind_int64(_statement, position, b ? 1 : 0),
            double d => raw.sqlite3_bind_double(_statement, position, d),
            float f => raw.sqlite3_bind_double(_statement, position, f),
            string s => raw.sqlite3_bind_text(_statement, position, s),
            byte[] bytes => raw.sqlite3_bind_blob(_statement, position, bytes),
            _ => throw new ArgumentException($"A value of type {value.GetType().Name} cannot be bound here.", nameof(value)),
        };
        if (rc != raw.SQLITE_OK) Check(rc);
    }

    /// <summary>Throws what Microsoft.Data.Sqlite would have thrown for a failed call.</summary>
    private void Check(int rc)
    {
        var message = raw.sqlite3_errmsg(_database).utf8_to_string();
        throw new SqliteException($"SQLite Error {rc}: '{message}'.", rc, raw.sqlite3_extended_errcode(_database));
    }

    public ValueTask DisposeAsync()
    {
        _statement?.Dispose();
        return _command?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
