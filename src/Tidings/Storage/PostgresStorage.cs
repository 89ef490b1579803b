using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Tidings.Storage;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; every write is its own transaction.</summary>
internal sealed class PostgresStorage : IStorage, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStorage(IOptions<StorageOptions> options)
    {
        if (string.IsNullOrWhiteSpace(options.Value.PostgresConnectionString))
        {
            throw new InvalidOperationException("Storage:PostgresConnectionString must be set when Storage:Provider is Postgres.");
        }

        _dataSource = DataSource(options.Value).Build();
    }

    public SqlDialect Dialect { get; } = new PostgresDialect();

    public event Action<int>? JournalAppendCommitted;

    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public async Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var context = new WriteContext(connection, transaction, Dialect);
        var result = await work(context);
        await transaction.CommitAsync(cancellationToken);
        if (context.AppendedToJournal) JournalAppendCommitted?.Invoke(context.JournalRowsAppended);
        return result;
    }

    /// <summary>
    /// The pool as configured: <see cref="StorageOptions.PostgresPoolSize"/> connections at most, unless the connection
    /// string says <c>Maximum Pool Size</c> itself (it wins, as an operator used to Npgsql expects).
    /// </summary>
    internal static NpgsqlDataSourceBuilder DataSource(StorageOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.PostgresConnectionString);
        var keys = new DbConnectionStringBuilder { ConnectionString = options.PostgresConnectionString }.Keys.Cast<string>();
        var named = keys.Any(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() is "MAXIMUMPOOLSIZE" or "MAXPOOLSIZE");
        if (!named) builder.ConnectionStringBuilder.MaxPoolSize = options.PostgresPoolSize;
        return builder;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
