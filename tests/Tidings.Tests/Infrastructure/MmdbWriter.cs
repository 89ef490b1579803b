using System.Net;
using System.Text;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// Writes a small database in the MaxMind DB format 2.0 (https://maxmind.github.io/MaxMind-DB/), so that tests read a
/// real GeoIP file with the real reader without shipping one: an IPv6 search tree (IPv4 networks under ::/96) with
/// 32-bit records, and a data section of maps, arrays, strings and unsigned integers.
/// </summary>
public sealed class MmdbWriter(string databaseType)
{
    private readonly TrieNode _root = new();
    private readonly List<byte> _data = [];
    private readonly Dictionary<object, int> _offsets = new(ReferenceEqualityComparer.Instance);

    /// <summary>Places <paramref name="record"/> (maps, lists, strings, ushort/uint/ulong) at a network such as <c>81.2.69.0/24</c>.</summary>
    public MmdbWriter Add(string network, object record)
    {
        var slash = network.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(network[..slash]);
        var length = int.Parse(network[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = address.MapToIPv6().GetAddressBytes();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            Array.Clear(bytes, 0, 12); // IPv4 lives under ::/96, not under ::ffff:0:0/96
            length += 96;
        }

        // One copy of a record however many networks share it, as real databases have it.
        if (!_offsets.TryGetValue(record, out var offset))
        {
            _offsets[record] = offset = _data.Count;
            Encode(_data, record);
        }

        var node = _root;
        for (var i = 0; i < length; i++)
        {
            var bit = (bytes[i / 8] >> (7 - i % 8)) & 1;
            if (i == length - 1) node.Data[bit] = offset;
            else node = node.Children[bit] ??= new TrieNode();
        }

        return this;
    }

    public void Write(string path)
    {
        var nodes = new List<TrieNode>();
        var queue = new Queue<TrieNode>([_root]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            node.Index = nodes.Count;
            nodes.Add(node);
            foreach (var child in node.Children)
            {
                if (child is not null) queue.Enqueue(child);
            }
        }

        var count = (uint)nodes.Count;
        var file = new List<byte>();
        foreach (var node in nodes)
        {
            for (var bit = 0; bit < 2; bit++)
            {
                var record = node.Children[bit] is { } child ? (uint)child.Index
                    : node.Data[bit] is { } offset ? count + 16 + (uint)offset
                    : count; // nothing there
                file.AddRange([(byte)(record >> 24), (byte)(record >> 16), (byte)(record >> 8), (byte)record]);
            }
        }

        file.AddRange(new byte[16]);
        file.AddRange(_data);
        file.AddRange([0xAB, 0xCD, 0xEF]);
        file.AddRange("MaxMind.com"u8.ToArray());
        Encode(file, new Dictionary<string, object>
        {
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["database_type"] = databaseType,
            ["description"] = new Dictionary<string, object> { ["en"] = "Tidings test database" },
            ["ip_version"] = (ushort)6,
            ["languages"] = new List<object> { "en", "de" },
            ["node_count"] = count,
            ["record_size"] = (ushort)32,
        });
        File.WriteAllBytes(path, file.ToArray());
    }

    /// <summary>A GeoIP2 City record: country, first subdivision and city, named in English and German.</summary>
    public static Dictionary<string, object> City(string countryCode, string countryEn, string countryDe, string? regionCode, string? city) =>
        new()
        {
            ["country"] = new Dictionary<string, object> { ["iso_code"] = countryCode, ["names"] = Names(countryEn, countryDe) },
            ["subdivisions"] = regionCode is null ? new List<object>() : new List<object>
            {
                new Dictionary<string, object> { ["iso_code"] = regionCode, ["names"] = Names(regionCode, regionCode) },
            },
            ["city"] = city is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["names"] = Names(city, city) },
        };

    private static Dictionary<string, object> Names(string en, string de) => new() { ["en"] = en, ["de"] = de };

    private static void Encode(List<byte> output, object value)
    {
        switch (value)
        {
            case string s:
                var utf8 = Encoding.UTF8.GetBytes(s);
                Control(output, 2, utf8.Length);
                output.AddRange(utf8);
                break;
            case IDictionary<string, object> map:
                Control(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Encode(output, key);
                    Encode(output, item);
                }

                break;
            case IList<object> array:
                Control(output, 11, array.Count);
                foreach (var item in array) Encode(output, item);
                break;
            case ushort u16:
                Unsigned(output, 5, u16);
                break;
            case uint u32:
                Unsigned(output, 6, u32);
                break;
            case ulong u64:
                Unsigned(output, 9, u64);
                break;
            default:
                throw new ArgumentException($"cannot encode a {value.GetType().Name}", nameof(value));
        }
    }

    private static void Unsigned(List<byte> output, int type, ulong value)
    {
        var bytes = new List<byte>();
        for (var v = value; v > 0; v >>= 8) bytes.Insert(0, (byte)v);
        Control(output, type, bytes.Count);
        output.AddRange(bytes);
    }

    /// <summary>The control byte (type in the top 3 bits, 0 for extended types, whose number follows), then the size.</summary>
    private static void Control(List<byte> output, int type, int size)
    {
        if (size >= 65_821) throw new ArgumentOutOfRangeException(nameof(size), "larger values are not needed in tests");
        var sizeBits = size < 29 ? size : size < 285 ? 29 : 30;
        output.Add((byte)(((type > 7 ? 0 : type) << 5) | sizeBits));
        if (type > 7) output.Add((byte)(type - 7));
        if (sizeBits == 29) output.Add((byte)(size - 29));
        if (sizeBits == 30) output.AddRange([(byte)((size - 285) >> 8), (byte)(size - 285)]);
    }

    private sealed class TrieNode
    {
        public TrieNode?[] Children { get; } = new TrieNode?[2];
        public int?[] Data { get; } = new int?[2];
        public int Index { get; set; }
    }
}
