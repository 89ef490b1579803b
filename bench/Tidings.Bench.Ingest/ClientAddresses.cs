using System.Globalization;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Ingest;

/// <summary>
/// Opens "from" public client addresses, passed by a trusted proxy (the benchmark client on 127.0.0.1) in
/// <c>X-Forwarded-For</c>, and optionally a GeoIP City database with <c>networks</c> /24 networks that holds them all,
/// so that the cost of the location lookup on the open path can be measured against the same requests without it.
/// </summary>
public static class ClientAddresses
{
    private static readonly (string Code, string Country, string Region, string City)[] Places =
    [
        ("NL", "Netherlands", "NH", "Amsterdam"), ("DE", "Germany", "BE", "Berlin"), ("GB", "United Kingdom", "ENG", "London"),
        ("FR", "France", "IDF", "Paris"), ("US", "United States", "NY", "New York"), ("BE", "Belgium", "VAN", "Antwerp"),
        ("ES", "Spain", "MD", "Madrid"), ("IT", "Italy", "25", "Milan"), ("SE", "Sweden", "AB", "Stockholm"), ("JP", "Japan", "13", "Tokyo"),
    ];

    /// <summary>One address per destination, in <paramref name="networks"/> distinct /24 networks of public-looking space.</summary>
    public static List<string> For(int destinations, int networks)
    {
        var addresses = new List<string>(destinations);
        for (var i = 0; i < destinations; i++)
        {
            var n = Network(i % networks);
            addresses.Add(string.Create(CultureInfo.InvariantCulture, $"{n >> 16}.{(n >> 8) & 255}.{n & 255}.{1 + i % 250}"));
        }

        return addresses;
    }

    /// <summary>Writes a City database with <paramref name="networks"/> /24 networks (those of <see cref="For"/>) to <paramref name="path"/>.</summary>
    public static void WriteDatabase(string path, int networks)
    {
        var records = Places.Select(p => (object)MmdbWriter.City(p.Code, p.Country, p.Country, p.Region, p.City)).ToArray();
        var writer = new MmdbWriter("GeoIP2-City");
        for (var i = 0; i < networks; i++)
        {
            var n = Network(i);
            writer.Add(string.Create(CultureInfo.InvariantCulture, $"{n >> 16}.{(n >> 8) & 255}.{n & 255}.0/24"), records[i % records.Length]);
        }

        writer.Write(path);
    }

    /// <summary>The i-th network's first three octets (as a 24-bit number), spread over 11.0.0.0 to 200.255.255.0.</summary>
    private static int Network(int i) => (11 << 16) + (int)((long)i * 7_919 % (190 << 16));
}
