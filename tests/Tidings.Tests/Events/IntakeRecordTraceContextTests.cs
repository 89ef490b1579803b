using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Tidings.Events.Intake;

namespace Tidings.Tests.Events;

/// <summary>
/// The intake log's records keep an event's trace context beside its payload: it reads back as it was written, records
/// without one are byte for byte what they were before trace context existed (so old logs read as they did), and a
/// damaged trace length is caught like any other damage.
/// </summary>
public sealed class IntakeRecordTraceContextTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static byte[] Encode(IntakeRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        IntakeRecordCodec.Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A record as the format was before trace context: no flag, the payload right after the type.</summary>
    private static byte[] OldFormat(long account, string type, long occurred, long mailing, long destination, string payload)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        var body = new byte[33 + typeBytes.Length + payloadBytes.Length];
        BinaryPrimitives.WriteInt64LittleEndian(body, account);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), occurred);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(16), mailing);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(24), destination);
        body[32] = (byte)typeBytes.Length;
        typeBytes.CopyTo(body, 33);
        payloadBytes.CopyTo(body, 33 + typeBytes.Length);
        var record = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(record, 8);
        return record;
    }

    [Fact]
    public void A_trace_context_reads_back_beside_the_payload_and_not_in_it()
    {
        var record = new IntakeRecord(7, "open", 1_700_000_000_000, 3, 101, "{\"name\":\"Zoë\"}", TraceParent);
        var bytes = Encode(record);

        IntakeRecordCodec.IsIntact(bytes, out var size).ShouldBeTrue();
        size.ShouldBe(bytes.Length);
        var read = IntakeRecordCodec.Read(bytes);
        read.ShouldBe(record);
        read.Payload.ShouldNotContain("0af7651916cd43dd");
    }

    [Fact]
    public void A_record_without_trace_context_is_the_old_format_and_old_records_read_as_before()
    {
        var old = OldFormat(7, "click", 1_700_000_000_001, 3, 102, "{\"url\":\"https://shop.example/\"}");

        Encode(new IntakeRecord(7, "click", 1_700_000_000_001, 3, 102, "{\"url\":\"https://shop.example/\"}")).ShouldBe(old);
        IntakeRecordCodec.Read(old).ShouldBe(new IntakeRecord(7, "click", 1_700_000_000_001, 3, 102, "{\"url\":\"https://shop.example/\"}", null));
    }

    [Fact]
    public void A_trace_length_past_the_end_of_the_body_is_damage()
    {
        var bytes = Encode(new IntakeRecord(7, "open", 1, 3, 101, "", TraceParent));
        var body = bytes.AsSpan(8);
        body[33 + "open".Length] = 200; // the trace context's length byte, now pointing past the body
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Crc32.HashToUInt32(body)); // a checksum that holds

        IntakeRecordCodec.IsIntact(bytes, out _).ShouldBeFalse();
    }
}
