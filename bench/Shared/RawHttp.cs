using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Tidings.Bench;

/// <summary>The load generators' minimal HTTP/1.1 client side: reading one response off a kept-alive socket.</summary>
public static class RawHttp
{
    /// <summary>Reads one response (headers and Content-Length body); returns its status code.</summary>
    public static async Task<int> ReadStatusAsync(Socket socket, byte[] buffer)
    {
        var filled = 0;
        var headerEnd = -1;
        var contentLength = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled));
            if (read == 0) throw new IOException("connection closed");
            filled += read;
            if (headerEnd < 0)
            {
                headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (headerEnd < 0) continue;
                headerEnd += 4;
                var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
                var at = head.IndexOf("content-length:", StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    var end = head.IndexOf('\r', at);
                    contentLength = int.Parse(head.AsSpan(at + 15, end - at - 15).Trim(), CultureInfo.InvariantCulture);
                }
            }

            if (filled >= headerEnd + contentLength) return (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
        }
    }
}
