using System.Buffers;
using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Events.Intake;

/// <summary>
/// The journal's intake log: enriched events are acknowledged once they are appended to an append-only file (written
/// through to the operating system, and flushed to disk when <c>Storage:SqliteSynchronous</c> is <c>Full</c>, exactly as
/// SQLite's own commits are), and a background loop turns them into journal rows in large transactions, recording how
/// far it got in the same transaction. A burst of opens thus costs a sequential file write per batch while it lasts,
/// and the journal rows, their indexes and every consumer follow as the machine has time. After a crash the loop
/// resumes at its recorded position, so every acknowledged event becomes exactly one journal row.
/// </summary>
internal sealed class JournalIntake : IHostedService, IDisposable
{
    private readonly IStorage _storage;
    private readonly IntakeLogOptions _options;
    private readonly StorageOptions _storageOptions;
    private readonly ILogger<JournalIntake> _logger;
    private readonly ArrayBufferWriter<byte> _encoded = new(1 << 16);
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IntakeSegments? _segments;
    private Task? _loop;
    private readonly TimeProvider _time;
    private readonly IntakeDeferral _deferral;
    private long _materialized;
    private long _backlogSinceTicks;
    private TaskCompletionSource _appended = NewSignal();
    private TaskCompletionSource _progressed = NewSignal();

    /// <summary>How long journal rows are made after the machine was found to have time, before it is looked at again.</summary>
    private static readonly TimeSpan FreeSpell = TimeSpan.FromMilliseconds(250);

    public JournalIntake(IStorage storage, IOptions<IntakeLogOptions> options, IOptions<StorageOptions> storageOptions, TimeProvider time, ILogger<JournalIntake> logger)
    {
        _time = time;
        _deferral = new IntakeDeferral(options.Value, time);
        _storage = storage;
        _options = options.Value;
        _storageOptions = storageOptions.Value;
        _logger = logger;
        Enabled = _options.IntakeLog switch
        {
            IntakeLogMode.Off => false,
            IntakeLogMode.On when _storageOptions.Provider == StorageProvider.Postgres =>
                throw new InvalidOperationException("Events:IntakeLog: On is supported with SQLite only (PostgreSQL nodes share no disk); use Auto or Off."),
            IntakeLogMode.On => true,
            _ => _storageOptions.Provider == StorageProvider.Sqlite,
        };
        if (Enabled && _options.IntakeMaxDeferredBytes > _options.IntakeMaxBacklogBytes)
        {
            // Producers would wait for a backlog that is being left to wait.
            throw new InvalidOperationException($"Events:IntakeMaxDeferredBytes ({_options.IntakeMaxDeferredBytes}) must not exceed Events:IntakeMaxBacklogBytes ({_options.IntakeMaxBacklogBytes}).");
        }
    }

    /// <summary>Whether events without a dedupe key go through the intake log.</summary>
    public bool Enabled { get; }

    /// <summary>Whether the settings turn the intake log on (<c>On</c> with PostgreSQL is refused at start).</summary>
    public static bool IsEnabled(IntakeLogOptions options, StorageOptions storage) =>
        options.IntakeLog == IntakeLogMode.On || (options.IntakeLog == IntakeLogMode.Auto && storage.Provider == StorageProvider.Sqlite);

    /// <summary>Bytes appended but not yet journal rows.</summary>
    public long BacklogBytes => _segments is { } s ? s.End - Interlocked.Read(ref _materialized) : 0;

    public string Directory => DirectoryOf(_options, _storageOptions);

    /// <summary>The intake log's directory under these settings (also for the backup, which does not open the log).</summary>
    public static string DirectoryOf(IntakeLogOptions options, StorageOptions storage) => options.IntakeLogDirectory is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.GetFullPath(storage.SqlitePath) + "-intake";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        var recorded = await IntakePosition.ReadAsync(_storage, cancellationToken);

        _segments = IntakeSegments.Open(Directory, _options.IntakeSegmentBytes, _storageOptions.SqliteSynchronous == SqliteSynchronous.Full, recorded);
        if (_segments.DiscardedTail > 0)
        {
            _logger.UnfinishedWriteCutOff(_segments.DiscardedTail);
        }

        if (recorded < _segments.Start)
        {
            _logger.EventsLost(_segments.Start, recorded);
            recorded = _segments.Start;
        }

        _materialized = recorded;
        if (_segments.End > recorded)
        {
            _logger.CatchingUp(_segments.End - recorded);
        }

        _loop = Task.Run(MaterializeAsync, CancellationToken.None);
    }

    /// <summary>
    /// Stops making journal rows and flushes the log to disk; what is left stays in it and is taken up at the next start.
    /// The journal writer, which appends, has stopped before (it is registered after this).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await _stopping.CancelAsync();

        // First, and even when the stop's time is up: what was acknowledged must survive a power loss after the stop.
        // The segments serialize this with appends themselves.
        _segments?.FlushToDisk();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
        if (_segments is null) return; // off (PostgreSQL)
        var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        var backlog = BacklogBytes;
        _logger.IntakeClosed(backlog, elapsedMs);
    }

    /// <summary>Appends a batch of events; completes once they are as durable as a committed journal row.</summary>
    public async Task AppendAsync(IReadOnlyList<IntakeRecord> records, CancellationToken cancellationToken = default)
    {
        var segments = _segments ?? throw new InvalidOperationException("The intake log is not open.");
        while (BacklogBytes > _options.IntakeMaxBacklogBytes)
        {
            await Volatile.Read(ref _progressed).Task.WaitAsync(cancellationToken); // back-pressure: let the journal catch up
        }

        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            if (segments.End <= Interlocked.Read(ref _materialized)) Interlocked.Exchange(ref _backlogSinceTicks, _time.GetUtcNow().UtcTicks);
            _encoded.ResetWrittenCount();
            foreach (var record in records) IntakeRecordCodec.Write(_encoded, record);
            segments.Append(_encoded.WrittenSpan);
        }
        finally
        {
            _appendGate.Release();
        }

        Signal(ref _appended);
    }

    /// <summary>Completes once everything appended before the call is in the journal.</summary>
    public async Task WaitUntilJournaledAsync(CancellationToken cancellationToken = default)
    {
        if (_segments is not { } segments) return;
        var target = segments.End;
        while (Interlocked.Read(ref _materialized) < target && !_stopping.IsCancellationRequested)
        {
            var progressed = Volatile.Read(ref _progressed).Task;
            if (Interlocked.Read(ref _materialized) >= target) break;
            await Task.WhenAny(progressed, Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken)); // and look again at _stopping
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task MaterializeAsync()
    {
        var segments = _segments!;
        var buffer = new byte[1 << 20];
        var records = new List<IntakeRecord>(_options.IntakeMaterializeBatch);
        var token = _stopping.Token;
        var resuming = true; // what was left at the last stop is taken up at once
        var freeUntil = 0L;  // timestamp up to which the machine was last found to have time
        long deferredSince = 0, burstEvents = 0; // for one log line per burst
        while (!token.IsCancellationRequested)
        {
            try
            {
                var position = Interlocked.Read(ref _materialized);
                var appended = Volatile.Read(ref _appended).Task;
                if (segments.End <= position)
                {
                    resuming = false;
                    var waited = deferredSince == 0 ? TimeSpan.Zero : _time.GetElapsedTime(deferredSince);
                    if (waited >= TimeSpan.FromSeconds(5)) // short waits are routine
                    {
                        _logger.BurstCaughtUp(burstEvents, waited.TotalSeconds);
                    }

                    (deferredSince, burstEvents) = (0, 0);
                    await appended.WaitAsync(token);
                    continue;
                }

                if (!resuming && _time.GetTimestamp() > freeUntil)
                {
                    var backlogSince = new DateTimeOffset(Interlocked.Read(ref _backlogSinceTicks), TimeSpan.Zero);
                    if (await _deferral.ShouldDeferAsync(BacklogBytes, backlogSince, token))
                    {
                        if (deferredSince == 0) deferredSince = _time.GetTimestamp();
                        continue;
                    }

                    freeUntil = _time.GetTimestamp() + (long)(FreeSpell.TotalSeconds * _time.TimestampFrequency); // a burst is noticed within this
                }

                records.Clear();
                var next = ReadBatch(segments, position, ref buffer, records);
                if (records.Count > 0)
                {
                    // The events' trace contexts crossed the log beside them; this span joins their traces here.
                    using var span = IntakeSpans.StartMaterialize(records);
                    await _storage.WriteAsync(async w =>
                    {
                        w.LeavesProfilesAlone();
                        await using var inserter = JournalInserter.Create(w);
                        foreach (var r in records)
                        {
                            await inserter.InsertAsync(r.AccountId, r.Type, r.OccurredMs, r.Payload, r.MailingId, r.DestinationId, dedupeKey: null, r.TraceParent);
                        }

                        await IntakePosition.RecordAsync(w, next);
                        return true;
                    }, CancellationToken.None);
                }

                if (deferredSince != 0) burstEvents += records.Count;
                Interlocked.Exchange(ref _materialized, next);
                Signal(ref _progressed);
                segments.Release(next);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var failedAt = Interlocked.Read(ref _materialized);
                _logger.MaterializeFailed(ex, failedAt);
                try { await Task.Delay(TimeSpan.FromSeconds(5), _time, token); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>Decodes up to a batch of whole records from <paramref name="position"/>; returns the position after them.</summary>
    private long ReadBatch(IntakeSegments segments, long position, ref byte[] buffer, List<IntakeRecord> records)
    {
        while (records.Count < _options.IntakeMaterializeBatch)
        {
            var n = segments.Read(position, buffer);
            if (n == 0) break;
            var span = buffer.AsSpan(0, n);
            var used = 0;
            while (records.Count < _options.IntakeMaterializeBatch && IntakeRecordCodec.SizeAt(span[used..]) is { } size && used + size <= n)
            {
                records.Add(IntakeRecordCodec.Read(span.Slice(used, size)));
                used += size;
            }

            if (used == 0)
            {
                // A record larger than the buffer: grow it to fit and read again.
                buffer = new byte[Math.Max(buffer.Length * 2, IntakeRecordCodec.SizeAt(span) ?? 0)];
                continue;
            }

            position += used;
        }

        return position;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Signal(ref TaskCompletionSource signal) => Interlocked.Exchange(ref signal, NewSignal()).TrySetResult();

    public void Dispose()
    {
        // The host may stop this service after the container disposed it; the token source stays usable for that.
        _stopping.Cancel();
        _segments?.Dispose();
    }
}
