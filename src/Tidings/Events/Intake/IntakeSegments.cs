using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Tidings.Events.Intake;

/// <summary>
/// The intake log on disk: append-only segment files in one directory, each named after the log position (byte offset
/// over all segments) of its first byte, so positions stay valid when consumed segments are deleted. One writer appends
/// whole batches of records; <see cref="End"/> moves past a batch only once it is written (and flushed to disk when
/// asked), so a reader never sees part of a batch, and a batch cut short by a crash was never acknowledged.
/// </summary>
internal sealed class IntakeSegments : IDisposable
{
    public const string Extension = ".intake";

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly bool _flushToDisk;
    private readonly object _gate = new();
    private readonly List<long> _starts = [];
    private SafeFileHandle _current;
    private long _currentStart;
    private long _end;
    private bool _broken;

    private IntakeSegments(string directory, long segmentBytes, bool flushToDisk, SafeFileHandle current, long currentStart, long end)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _flushToDisk = flushToDisk;
        _current = current;
        _currentStart = currentStart;
        _end = end;
    }

    /// <summary>Position just past the last whole batch written.</summary>
    public long End => Interlocked.Read(ref _end);

    /// <summary>Position of the oldest byte still on disk.</summary>
    public long Start
    {
        get { lock (_gate) return _starts[0]; }
    }

    /// <summary>Bytes discarded from the tail when the log was opened: a write that a crash cut short.</summary>
    public long DiscardedTail { get; private init; }

    /// <summary>
    /// Opens the log in <paramref name="directory"/> (created if missing), cutting off a torn tail. An empty log starts at
    /// <paramref name="emptyStart"/>: where the consumer has got to, so positions never repeat.
    /// </summary>
    public static IntakeSegments Open(string directory, long segmentBytes, bool flushToDisk, long emptyStart)
    {
        Directory.CreateDirectory(directory);
        var starts = Directory.EnumerateFiles(directory, "*" + Extension)
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1)
            .Where(s => s >= 0).Order().ToList();
        if (starts.Count == 0 || emptyStart > starts[^1] + new FileInfo(SegmentPath(directory, starts[^1])).Length)
        {
            // Nothing on disk beyond what is consumed (or the files were removed): begin a fresh segment there.
            var handle = Create(directory, emptyStart, flushToDisk);
            var log = new IntakeSegments(directory, segmentBytes, flushToDisk, handle, emptyStart, emptyStart);
            log._starts.AddRange(starts);
            log._starts.Add(emptyStart);
            return log;
        }

        var last = starts[^1];
        var path = SegmentPath(directory, last);
        var current = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var length = RandomAccess.GetLength(current);
        var intact = IntactLength(current, length);
        if (intact < length)
        {
            RandomAccess.SetLength(current, intact);
            if (flushToDisk) RandomAccess.FlushToDisk(current);
        }

        var opened = new IntakeSegments(directory, segmentBytes, flushToDisk, current, last, last + intact) { DiscardedTail = length - intact };
        opened._starts.AddRange(starts);
        return opened;
    }

    /// <summary>
    /// Appends one batch of encoded records and makes it visible to readers. A failed write is cut off again, so the log
    /// never holds a partial record ahead of later batches; if even that fails, the log refuses further appends.
    /// </summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        lock (_gate)
        {
            if (_broken) throw new IOException("The intake log could not be repaired after a failed write; restart Tidings to recover it.");
            var end = _end;
            if (end - _currentStart >= _segmentBytes) Roll(end);
            var offset = end - _currentStart;
            try
            {
                RandomAccess.Write(_current, records, offset);
                if (_flushToDisk) RandomAccess.FlushToDisk(_current);
            }
            catch
            {
                try { RandomAccess.SetLength(_current, offset); }
                catch { _broken = true; }
                throw;
            }

            Interlocked.Exchange(ref _end, end + records.Length);
        }
    }

    /// <summary>
    /// Reads whole batches' bytes from <paramref name="position"/> into <paramref name="buffer"/>, never past
    /// <see cref="End"/> nor across a segment boundary; 0 when there is nothing yet.
    /// </summary>
    public int Read(long position, Span<byte> buffer)
    {
        long start, limit;
        lock (_gate)
        {
            var i = _starts.BinarySearch(position);
            if (i < 0) i = ~i - 1;
            if (i < 0) throw new InvalidOperationException($"Intake log position {position} precedes its first segment ({_starts[0]}).");
            start = _starts[i];
            limit = i + 1 < _starts.Count ? _starts[i + 1] : _end;
        }

        var wanted = (int)Math.Min(buffer.Length, limit - position);
        if (wanted <= 0) return 0;
        using var handle = File.OpenHandle(SegmentPath(_directory, start), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var read = 0;
        while (read < wanted)
        {
            var n = RandomAccess.Read(handle, buffer[read..wanted], position - start + read);
            if (n == 0) throw new IOException($"Intake segment {start} ends before position {position + read}.");
            read += n;
        }

        return read;
    }

    /// <summary>Deletes the segments that lie wholly before <paramref name="position"/> (consumed), except the one being written.</summary>
    public void Release(long position)
    {
        List<long> gone;
        lock (_gate)
        {
            gone = [];
            while (_starts.Count > 1 && _starts[1] <= position)
            {
                gone.Add(_starts[0]);
                _starts.RemoveAt(0);
            }
        }

        foreach (var start in gone) File.Delete(SegmentPath(_directory, start));
    }

    /// <summary>Number of segment files.</summary>
    public int SegmentCount
    {
        get { lock (_gate) return _starts.Count; }
    }

    private void Roll(long end)
    {
        var next = Create(_directory, end, _flushToDisk);
        _current.Dispose();
        _current = next;
        _currentStart = end;
        _starts.Add(end);
    }

    private static SafeFileHandle Create(string directory, long start, bool flushToDisk)
    {
        var handle = File.OpenHandle(SegmentPath(directory, start), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        RandomAccess.SetLength(handle, 0);
        if (flushToDisk) DirectorySync.Flush(directory); // the new file's name must survive a power loss too
        return handle;
    }

    /// <summary>Length of the run of intact records at the start of a segment (also the part of one a backup keeps).</summary>
    internal static long IntactLength(SafeFileHandle handle, long length)
    {
        var buffer = new byte[1 << 20];
        long intact = 0;
        while (intact < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - intact)), intact);
            var span = buffer.AsSpan(0, n);
            var used = 0;
            while (IntakeRecordCodec.IsIntact(span[used..], out var size)) used += size;
            if (used == 0)
            {
                // The next record does not fit in the buffer (or is torn): grow the buffer if its length field is sane.
                var claimed = span.Length >= IntakeRecordCodec.HeaderBytes ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span) + (long)IntakeRecordCodec.HeaderBytes : 0;
                if (claimed > buffer.Length && claimed <= IntakeRecordCodec.MaxBodyBytes + IntakeRecordCodec.HeaderBytes && intact + claimed <= length)
                {
                    buffer = new byte[claimed];
                    continue;
                }

                return intact;
            }

            intact += used;
        }

        return intact;
    }

    private static string SegmentPath(string directory, long start) =>
        Path.Combine(directory, start.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Flushes the current segment to disk (at a stop, also when appends are only written through to the OS).</summary>
    public void FlushToDisk()
    {
        // Already closed when the host stops the log after it was disposed (then there is nothing left to flush).
        lock (_gate)
        {
            if (!_current.IsClosed) RandomAccess.FlushToDisk(_current);
        }
    }

    public void Dispose()
    {
        lock (_gate) _current.Dispose();
    }
}
