using System.Globalization;
using System.Text;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// The benchmark's event number, sent as the open's User-Agent (<c>whb</c> and eight digits) and found again in the
/// webhook body, where no encoding changes it (form and JSON alike).
/// </summary>
public static class Sequence
{
    public const int Digits = 8;
    private static readonly byte[] Marker = "whb"u8.ToArray();

    public static string UserAgent(int n) => "whb" + n.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The number in a body, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> body) => DigitsAt(body) is var at and >= 0 ? Number(body.Slice(at, Digits)) : -1;

    /// <summary>Overwrites the number in a copy of <paramref name="template"/>; returns false when it holds none.</summary>
    public static bool TryWrite(byte[] template, int n, out byte[] body)
    {
        body = (byte[])template.Clone();
        var at = DigitsAt(body);
        if (at < 0) return false;
        Encoding.ASCII.GetBytes(n.ToString("D8", CultureInfo.InvariantCulture), body.AsSpan(at, Digits));
        return true;
    }

    /// <summary>Where the digits after the first marker that has eight of them start (random ids may hold the marker too), or -1.</summary>
    private static int DigitsAt(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (body[offset..].IndexOf(Marker) is var at and >= 0)
        {
            var digits = offset + at + Marker.Length;
            if (digits + Digits <= body.Length && Number(body.Slice(digits, Digits)) >= 0) return digits;
            offset = digits;
        }

        return -1;
    }

    private static int Number(ReadOnlySpan<byte> digits)
    {
        var n = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            n = n * 10 + (b - '0');
        }

        return n;
    }
}
