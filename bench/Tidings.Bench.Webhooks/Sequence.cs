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
    public static int Find(ReadOnlySpan<byte> body)
    {
        var at = body.IndexOf(Marker);
        if (at < 0 || at + Marker.Length + Digits > body.Length) return -1;
        var n = 0;
        foreach (var b in body.Slice(at + Marker.Length, Digits))
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            n = n * 10 + (b - '0');
        }

        return n;
    }

    /// <summary>Overwrites the number in a copy of <paramref name="template"/>; returns false when it holds none.</summary>
    public static bool TryWrite(byte[] template, int n, out byte[] body)
    {
        body = (byte[])template.Clone();
        var at = body.AsSpan().IndexOf(Marker);
        if (at < 0) return false;
        Encoding.ASCII.GetBytes(n.ToString("D8", CultureInfo.InvariantCulture), body.AsSpan(at + Marker.Length, Digits));
        return true;
    }
}
