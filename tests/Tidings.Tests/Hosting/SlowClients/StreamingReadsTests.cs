using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tidings.Storage;

namespace Tidings.Tests.Hosting.SlowClients;

/// <summary>
/// The streaming pool: at most <c>Storage:StreamingReadConnections</c> read connections at once, a wait of at most
/// <c>Storage:StreamingReadWait</c> for one, then a refusal that says when to try again.
/// </summary>
public sealed class StreamingReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StreamingReads Pool(int connections, TimeSpan wait, FakeTimeProvider time, CountingStorage storage) =>
        new(storage, Options.Create(new StorageOptions { StreamingReadConnections = connections, StreamingReadWait = wait }), time, NullLogger<StreamingReads>.Instance);

    [Fact]
    public async Task A_read_beyond_the_pool_waits_for_a_connection_to_come_back_within_the_wait()
    {
        var time = new FakeTimeProvider();
        var storage = new CountingStorage();
        using var pool = Pool(2, TimeSpan.FromSeconds(5), time, storage);
        var first = await pool.OpenAsync(Ct);
        await using var second = await pool.OpenAsync(Ct);
        pool.Free.ShouldBe(0);

        var third = pool.OpenAsync(Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(4));
        third.IsCompleted.ShouldBeFalse();
        storage.Opened.ShouldBe(2, "a waiting read holds no connection");

        await first.DisposeAsync();
        await using var got = await third.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        storage.Opened.ShouldBe(3);
        storage.Open.ShouldBe(2);
    }

    [Fact]
    public async Task A_read_that_finds_no_connection_within_the_wait_is_refused_with_a_retry_time_and_the_pool_stays_whole()
    {
        var time = new FakeTimeProvider();
        var storage = new CountingStorage();
        using var pool = Pool(1, TimeSpan.FromSeconds(5), time, storage);
        var held = await pool.OpenAsync(Ct);

        var refused = pool.OpenAsync(Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Should.ThrowAsync<StreamingReadsBusyException>(refused.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        error.RetryAfterSeconds.ShouldBe(5);
        error.Message.ShouldBe("Too many log file downloads at once, try again later");

        await held.DisposeAsync();
        pool.Free.ShouldBe(1);
        storage.Open.ShouldBe(0);
    }

    [Fact]
    public async Task A_wait_of_zero_refuses_at_once_when_the_pool_is_taken()
    {
        var time = new FakeTimeProvider();
        using var pool = Pool(1, TimeSpan.Zero, time, new CountingStorage());
        await using var held = await pool.OpenAsync(Ct);

        (await Should.ThrowAsync<StreamingReadsBusyException>(pool.OpenAsync(Ct).AsTask())).RetryAfterSeconds.ShouldBe(1);
    }

    /// <summary>A store whose read connections are never opened; it counts them.</summary>
    internal sealed class CountingStorage : IStorage
    {
        private int _opened;
        private int _open;

        public int Opened => _opened;

        public int Open => _open;

        public SqlDialect Dialect => throw new NotSupportedException();

        public event Action<int>? JournalAppendCommitted { add { } remove { } }

        public ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _opened);
            Interlocked.Increment(ref _open);
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Disposed += (_, _) => Interlocked.Decrement(ref _open);
            return ValueTask.FromResult<DbConnection>(connection);
        }

        public Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
