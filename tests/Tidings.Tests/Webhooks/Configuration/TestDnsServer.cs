using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>
/// A minimal DNS server on 127.0.0.1 (UDP, a free port) that answers TXT questions from a dictionary: just what
/// DnsClient needs. Unknown names get an empty NOERROR answer; other question types too. Every question is recorded.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestDnsServer() => _loop = Task.Run(LoopAsync);

    /// <summary>Lower-case name (no trailing dot) → TXT values, each one record.</summary>
    public ConcurrentDictionary<string, string[]> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lower-case name → one IPv4 address (A record), for hosts the verification file is fetched from.</summary>
    public ConcurrentDictionary<string, string> A { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Questions { get; } = new();

    public string EndPoint => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }

            var answer = Answer(received.Buffer);
            if (answer is null) continue;
            try { await _udp.SendAsync(answer, received.RemoteEndPoint, _stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12) return null;
        // Question: labels, then QTYPE and QCLASS.
        var labels = new List<string>();
        var i = 12;
        while (i < query.Length && query[i] != 0)
        {
            var length = query[i];
            if (i + 1 + length > query.Length) return null;
            labels.Add(Encoding.ASCII.GetString(query, i + 1, length));
            i += 1 + length;
        }

        var questionEnd = i + 5; // zero byte, QTYPE, QCLASS
        if (questionEnd > query.Length) return null;
        var type = (query[i + 1] << 8) | query[i + 2];
        var name = string.Join('.', labels);
        Questions.Enqueue(name);

        var values = type == 16 && Txt.TryGetValue(name, out var found) ? found : [];
        var address = type == 1 && A.TryGetValue(name, out var a) ? IPAddress.Parse(a).GetAddressBytes() : null;
        using var output = new MemoryStream();
        output.Write(query, 0, 2);                       // ID
        output.Write([(byte)(0x80 | (query[2] & 0x01)), 0x80]); // QR, RD copied, RA, NOERROR
        output.Write([0, 1, 0, (byte)(values.Length + (address is null ? 0 : 1)), 0, 0, 0, 0]); // QD=1, AN, NS=0, AR=0
        output.Write(query, 12, questionEnd - 12);
        if (address is not null)
        {
            output.Write([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            output.Write(address);
        }

        foreach (var value in values)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var chunks = bytes.Chunk(255).ToList();
            var rdLength = chunks.Sum(c => c.Length + 1);
            output.Write([0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0, 60, (byte)(rdLength >> 8), (byte)rdLength]);
            foreach (var chunk in chunks)
            {
                output.WriteByte((byte)chunk.Length);
                output.Write(chunk);
            }
        }

        return output.ToArray();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
