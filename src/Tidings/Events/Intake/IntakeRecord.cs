using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Tidings.Journal;

namespace Tidings.Events.Intake;

/// <summary>An enriched event as the intake log keeps it until it becomes a journal row.</summary>
/// <param name="TraceParent">The W3C trace context of the span that appended it (tracing on and sampled), kept beside the
/// payload and never in it.</param>
internal sealed record IntakeRecord(long AccountId, string Type, long OccurredMs, long MailingId, long DestinationId, string Payload, string? TraceParent = null);

/// <summary>
/// The intake log's record format: <c>[u32 body length][u32 CRC-32 of the body][body]</c>, little-endian, where the body
/// is <c>account, occurred, mailing, destination</c> (i64 each), the type (u8 length + ASCII), optionally the trace
/// context (u8 length + ASCII), and the payload (UTF-8, the rest). The trace context is there only when the type's length
/// byte has its high bit set (<see cref="TraceFlag"/>; type names are short), so records written before it existed read
/// as they always did. The checksum tells a record that was written whole from the tail of a write cut short by a crash.
/// </summary>
internal static class IntakeRecordCodec
{
    public const int HeaderBytes = 8;
    private const int FixedBodyBytes = 4 * sizeof(long) + 1;

    /// <summary>Set in the type's length byte when a trace context follows the type.</summary>
    private const byte TraceFlag = 0x80;

    /// <summary>Largest body accepted when reading; a longer length field can only be damage.</summary>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    public static void Write(IBufferWriter<byte> output, IntakeRecord record)
    {
        var typeBytes = Encoding.ASCII.GetByteCount(record.Type);
        if (typeBytes >= TraceFlag) throw new ArgumentException("event type name too long", nameof(record));
        var traceBytes = record.TraceParent is { } trace ? 1 + checked((byte)Encoding.ASCII.GetByteCount(trace)) : 0;
        var headBytes = FixedBodyBytes + typeBytes + traceBytes;
        var bodyLength = headBytes + Encoding.UTF8.GetByteCount(record.Payload);
        var span = output.GetSpan(HeaderBytes + bodyLength)[..(HeaderBytes + bodyLength)];
        var body = span[HeaderBytes..];
        BinaryPrimitives.WriteInt64LittleEndian(body, record.AccountId);
        BinaryPrimitives.WriteInt64LittleEndian(body[8..], record.OccurredMs);
        BinaryPrimitives.WriteInt64LittleEndian(body[16..], record.MailingId);
        BinaryPrimitives.WriteInt64LittleEndian(body[24..], record.DestinationId);
        body[32] = (byte)(typeBytes | (traceBytes > 0 ? TraceFlag : 0));
        Encoding.ASCII.GetBytes(record.Type, body.Slice(FixedBodyBytes, typeBytes));
        if (record.TraceParent is { } traceParent)
        {
            body[FixedBodyBytes + typeBytes] = (byte)(traceBytes - 1);
            Encoding.ASCII.GetBytes(traceParent, body.Slice(FixedBodyBytes + typeBytes + 1, traceBytes - 1));
        }

        Encoding.UTF8.GetBytes(record.Payload, body[headBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32.HashToUInt32(body));
        output.Advance(HeaderBytes + bodyLength);
    }

    /// <summary>The whole size of the record at the start of <paramref name="data"/>, or null when its header is not all there.</summary>
    public static int? SizeAt(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes) return null;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        return length is < FixedBodyBytes or > MaxBodyBytes ? throw new InvalidDataException($"record length {length} is out of range") : HeaderBytes + (int)length;
    }

    /// <summary>True when <paramref name="data"/> starts with a whole record whose checksum holds.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> data, out int size)
    {
        size = 0;
        if (data.Length < HeaderBytes) return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length is < FixedBodyBytes or > MaxBodyBytes || data.Length < HeaderBytes + (long)length) return false;
        var body = data.Slice(HeaderBytes, (int)length);
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[4..])) return false;
        if (HeadBytes(body) is not { } head || head > length) return false;
        size = HeaderBytes + (int)length;
        return true;
    }

    /// <summary>Decodes the whole, intact record at the start of <paramref name="data"/> (see <see cref="IsIntact"/>).</summary>
    public static IntakeRecord Read(ReadOnlySpan<byte> data)
    {
        if (!IsIntact(data, out var size)) throw new InvalidDataException("the record's checksum does not hold");
        var body = data[HeaderBytes..size];
        var typeBytes = body[32] & ~TraceFlag;
        var head = HeadBytes(body)!.Value;
        var traceParent = (body[32] & TraceFlag) != 0 ? Encoding.ASCII.GetString(body.Slice(FixedBodyBytes + typeBytes + 1, body[FixedBodyBytes + typeBytes])) : null;
        return new IntakeRecord(
            BinaryPrimitives.ReadInt64LittleEndian(body),
            Type: EventTypeNames.Intern(body.Slice(FixedBodyBytes, typeBytes)),
            OccurredMs: BinaryPrimitives.ReadInt64LittleEndian(body[8..]),
            MailingId: BinaryPrimitives.ReadInt64LittleEndian(body[16..]),
            DestinationId: BinaryPrimitives.ReadInt64LittleEndian(body[24..]),
            Payload: Encoding.UTF8.GetString(body[head..]),
            TraceParent: traceParent);
    }

    /// <summary>Where the payload starts in <paramref name="body"/> (after the type and the trace context), or null when the body is too short to tell.</summary>
    private static int? HeadBytes(ReadOnlySpan<byte> body)
    {
        var typeBytes = body[32] & ~TraceFlag;
        if ((body[32] & TraceFlag) == 0) return FixedBodyBytes + typeBytes;
        var traceAt = FixedBodyBytes + typeBytes;
        return traceAt < body.Length ? traceAt + 1 + body[traceAt] : null;
    }

    /// <summary>The few type names, shared instead of allocated for every record read back.</summary>
    private static class EventTypeNames
    {
        private static readonly (string Name, byte[] Ascii)[] Known = [.. EventTypes.MailingEvents.Select(n => (n, Encoding.ASCII.GetBytes(n)))];

        public static string Intern(ReadOnlySpan<byte> ascii)
        {
            foreach (var (name, bytes) in Known)
            {
                if (ascii.SequenceEqual(bytes)) return name;
            }

            return Encoding.ASCII.GetString(ascii);
        }
    }
}
