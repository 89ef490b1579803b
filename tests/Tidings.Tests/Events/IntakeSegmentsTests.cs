using System.Buffers;
using Tidings.Events.Intake;

namespace Tidings.Tests.Events;

/// <summary>The intake log's segment files: appending, reading back, rolling over, deleting, and recovery of a torn tail.</summary>
public sealed class IntakeSegmentsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "intake-" + Guid.NewGuid().ToString("N"));

    private static IntakeRecord Record(int n) =>
        new(AccountId: 7, Type: n % 2 == 0 ? "open" : "click", OccurredMs: 1_700_000_000_000 + n, MailingId: 3, DestinationId: 100 + n, Payload: $"{{\"n\":{n},\"name\":\"Zoë\"}}");

    private static byte[] Encode(params IntakeRecord[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var r in records) IntakeRecordCodec.Write(buffer, r);
        return buffer.WrittenSpan.ToArray();
    }

    private static List<IntakeRecord> ReadAll(IntakeSegments log, long from)
    {
        var records = new List<IntakeRecord>();
        var buffer = new byte[1 << 16];
        for (var position = from; position < log.End;)
        {
            var n = log.Read(position, buffer);
            var used = 0;
            while (IntakeRecordCodec.IsIntact(buffer.AsSpan(used, n - used), out var size))
            {
                records.Add(IntakeRecordCodec.Read(buffer.AsSpan(used, size)));
                used += size;
            }

            used.ShouldBeGreaterThan(0);
            position += used;
        }

        return records;
    }

    [Fact]
    public void Records_read_back_as_written_across_segments_and_consumed_segments_are_deleted()
    {
        using var log = IntakeSegments.Open(_directory, segmentBytes: 300, flushToDisk: false, emptyStart: 0);
        var written = Enumerable.Range(0, 40).Select(Record).ToList();
        foreach (var batch in written.Chunk(3)) log.Append(Encode(batch));

        log.SegmentCount.ShouldBeGreaterThan(3, "a segment is rolled over once it reaches its size");
        ReadAll(log, 0).ShouldBe(written);

        var middle = log.End / 2;
        log.Release(log.End);
        log.SegmentCount.ShouldBe(1, "only the segment being written stays");
        Directory.GetFiles(_directory).Length.ShouldBe(1);
        Should.Throw<InvalidOperationException>(() => log.Read(middle, new byte[100]));
    }

    [Fact]
    public void A_write_cut_short_by_a_crash_is_cut_off_when_the_log_is_opened_and_appending_goes_on_after_the_whole_records()
    {
        long end;
        using (var log = IntakeSegments.Open(_directory, 1 << 20, flushToDisk: true, emptyStart: 0))
        {
            log.Append(Encode(Record(0), Record(1), Record(2)));
            end = log.End;
        }

        // The start of a fourth record: its header and part of its body made it to the file, the rest did not.
        var torn = Encode(Record(3))[..20];
        var file = Directory.GetFiles(_directory).ShouldHaveSingleItem();
        using (var stream = new FileStream(file, FileMode.Append)) stream.Write(torn);

        using var reopened = IntakeSegments.Open(_directory, 1 << 20, flushToDisk: true, emptyStart: 0);
        reopened.DiscardedTail.ShouldBe(20);
        reopened.End.ShouldBe(end);
        reopened.Append(Encode(Record(4)));
        ReadAll(reopened, 0).Select(r => r.DestinationId).ShouldBe([100, 101, 102, 104]);
    }

    [Fact]
    public void A_damaged_record_fails_its_checksum()
    {
        var bytes = Encode(Record(5));
        IntakeRecordCodec.IsIntact(bytes, out var size).ShouldBeTrue();
        size.ShouldBe(bytes.Length);
        bytes[^3] ^= 0x20;
        IntakeRecordCodec.IsIntact(bytes, out _).ShouldBeFalse();
        Should.Throw<InvalidDataException>(() => IntakeRecordCodec.Read(bytes));
    }

    [Fact]
    public void An_empty_log_starts_where_the_journal_got_to_so_positions_never_repeat()
    {
        using var log = IntakeSegments.Open(_directory, 1 << 20, flushToDisk: false, emptyStart: 5000);
        log.Start.ShouldBe(5000);
        log.End.ShouldBe(5000);
        log.Append(Encode(Record(1)));
        ReadAll(log, 5000).ShouldHaveSingleItem().DestinationId.ShouldBe(101);
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
