using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Tidings.Storage;

/// <summary>
/// SQLite in WAL mode: many pooled readers and exactly one writer connection. Concurrent write requests are queued
/// and committed together (group commit): each runs inside its own savepoint, so one failing unit of work rolls back
/// alone while its neighbours in the batch still commit. A caller is answered only after its batch has committed.
/// </summary>
internal sealed partial class SqliteStorage : IStorage, IAsyncDisposable
{
    /// <summary>
    /// Connections read the database file through a memory map of up to this size instead of copying every page into
    /// their own small page cache: lists that scan or count a large table then cost no system call per page, and all
    /// pooled connections share the same pages of the operating system's cache.
    /// </summary>
    private const string MemoryMap = "PRAGMA mmap_size=268435456;";

    private readonly BatchingWriter<IWriteItem> _writes;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackTo;
    private readonly StorageOptions _options;
    private readonly ILogger<SqliteStorage> _logger;

    /// <summary>Units of work that may have changed profile data (see <see cref="WriteContext.ProfileGeneration"/>); writer thread only.</summary>
    private long _profileGeneration;

    public SqliteStorage(IOptions<StorageOptions> options, ILogger<SqliteStorage> logger)
    {
        _options = options.Value;
        _logger = logger;
        var path = Path.GetFullPath(_options.SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 };
        _readConnectionString = builder.ToString();

        _writer = new SqliteConnection(_readConnectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, $"PRAGMA synchronous={(_options.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};");
        Execute(_writer, "PRAGMA busy_timeout=30000;");
        Execute(_writer, "PRAGMA temp_store=MEMORY;");
        Execute(_writer, MemoryMap);

        // Every unit of work runs in a savepoint: these commands stay prepared instead of being parsed for each unit.
        _savepoint = Command(_writer, "SAVEPOINT unit");
        _release = Command(_writer, "RELEASE unit");
        _rollbackTo = Command(_writer, "ROLLBACK TO unit");

        _writes = new BatchingWriter<IWriteItem>(
            new BatchingOptions { MaxBatch = _options.MaxWriteBatch, QueueCapacity = _options.WriteQueueCapacity },
            CommitAsync, static item => item.Complete(), static (item, error) => item.Fail(error));
        _writes.Start();
    }

    public SqlDialect Dialect { get; } = new SqliteDialect();

    public event Action<int>? JournalAppendCommitted;

    public string DatabasePath => _writer.DataSource;

    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        Execute(connection, MemoryMap);
        return connection;
    }

    public async Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var item = new WriteItem<T>(work);
        await _writes.EnqueueAsync(item, cancellationToken);
        return await item.Completion.Task;
    }

    /// <summary>Commits a batch of units of work in one transaction, each in its own savepoint.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CommitAsync(WriteBatch<IWriteItem> batch)
    {
        DbTransaction? transaction = null;
        try
        {
            transaction = _writer.BeginTransaction();
            var context = new WriteContext(_writer, transaction, Dialect);
            for (var i = 0; i < batch.Count; i++)
            {
                Execute(_savepoint, transaction);
                context.BeginUnit(_profileGeneration);
                try
                {
                    await batch[i].RunAsync(context);
                    Execute(_release, transaction);
                }
                catch (Exception ex)
                {
                    Execute(_rollbackTo, transaction);
                    Execute(_release, transaction);
                    batch.Reject(i, ex);
                }
                finally
                {
                    if (!context.ProfilesUntouched) _profileGeneration++;
                }
            }

            transaction.Commit();
            if (context.AppendedToJournal) JournalAppendCommitted?.Invoke(context.JournalRowsAppended);
        }
        catch (Exception ex)
        {
            LogGroupCommitFailed(ex, batch.Count);
            _profileGeneration++; // what was derived inside the lost transaction may rest on changes that never committed
            try { transaction?.Rollback(); } catch (Exception rollbackError) { LogRollbackFailed(rollbackError); }
            throw;
        }
        finally
        {
            transaction?.Dispose();
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "SQLite group commit of {Count} writes failed")]
    private partial void LogGroupCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Rollback failed")]
    private partial void LogRollbackFailed(Exception exception);

    private static void Execute(SqliteConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = (SqliteTransaction?)transaction;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteCommand command, DbTransaction transaction)
    {
        command.Transaction = (SqliteTransaction)transaction;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await _writes.StopAsync();
        await _savepoint.DisposeAsync();
        await _release.DisposeAsync();
        await _rollbackTo.DisposeAsync();
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private interface IWriteItem
    {
        Task RunAsync(WriteContext context);
        void Complete();
        void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(Func<WriteContext, Task<T>> work) : IWriteItem
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task RunAsync(WriteContext context) => _result = await work(context);

        public void Complete() => Completion.TrySetResult(_result!);

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
