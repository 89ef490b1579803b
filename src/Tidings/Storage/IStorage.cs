using System.Data.Common;

namespace Tidings.Storage;

/// <summary>
/// The one door to the relational store. Reads get their own pooled connection; writes run as a unit of work in a
/// transaction, which the SQLite provider group-commits with other concurrent writes.
/// </summary>
public interface IStorage
{
    SqlDialect Dialect { get; }

    /// <summary>Opens a connection for reading. Dispose it when done.</summary>
    ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> inside a transaction and returns after it is durably committed. If the work throws,
    /// none of its changes are kept and the exception is rethrown to the caller.
    /// </summary>
    Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken cancellationToken = default);
}

/// <summary>The connection and transaction a unit of write work runs in.</summary>
public sealed record WriteContext(DbConnection Connection, DbTransaction Transaction);
