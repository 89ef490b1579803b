using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Tidings.Storage;

/// <summary>
/// SQLite in WAL mode: many pooled readers and exactly one writer connection. Concurrent write requests are queued
/// and committed together (group commit): each runs inside its own savepoint, so one failing unit of work rolls back
/// alone while its neighbours in the batch still commit. A caller is answered only after its batch has committed.
/// </summary>
public sealed class SqliteStorage : IStorage, IAsyncDisposable
{
    /// <summary>
    /// Connections read the database file through a memory map of up to this size instead of copying every page into
    /// their own small page cache: lists that scan or count a large table then cost no system call per page, and all
    /// pooled connections share the same pages of the operating system's cache.
    /// </summary>
    private const string MemoryMap = "PRAGMA mmap_size=268435456;";

    private readonly Channel<IWriteItem> _queue;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackTo;
    private readonly StorageOptions _options;
    private readonly Task _writerLoop;
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

        _queue = Channel.CreateBounded<IWriteItem>(new BoundedChannelOptions(_options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerLoop = Task.Factory.StartNew(RunWriterAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public SqlDialect Dialect { get; } = new SqliteDialect();

    public event Action? JournalAppendCommitted;

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
        await _queue.Writer.WriteAsync(item, cancellationToken);
        return await item.Completion.Task;
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<IWriteItem>(_options.MaxWriteBatch);
        var succeeded = new List<IWriteItem>(_options.MaxWriteBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            succeeded.Clear();
            while (batch.Count < _options.MaxWriteBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            DbTransaction? transaction = null;
            try
            {
                transaction = _writer.BeginTransaction();
                var context = new WriteContext(_writer, transaction, Dialect);
                foreach (var item in batch)
                {
                    Execute(_savepoint, transaction);
                    context.BeginUnit(_profileGeneration);
                    try
                    {
                        await item.RunAsync(context);
                        Execute(_release, transaction);
                        succeeded.Add(item);
                    }
                    catch (Exception ex)
                    {
                        Execute(_rollbackTo, transaction);
                        Execute(_release, transaction);
                        item.Fail(ex);
                    }
                    finally
                    {
                        if (!context.ProfilesUntouched) _profileGeneration++;
                    }
                }

                transaction.Commit();
                if (context.AppendedToJournal) JournalAppendCommitted?.Invoke();
                foreach (var item in succeeded)
                {
                    item.Complete();
                }
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "SQLite group commit of {Count} writes failed", batch.Count);
                _profileGeneration++; // what was derived inside the lost transaction may rest on changes that never committed
                try { transaction?.Rollback(); } catch (Exception rollbackError) { _logger.LogError(rollbackError, "Rollback failed"); }
                foreach (var item in succeeded)
                {
                    item.Fail(ex);
                }
            }
            finally
            {
                transaction?.Dispose();
            }
        }
    }

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
        _queue.Writer.TryComplete();
        await _writerLoop;
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
