using System.Net;
using System.Text.Json.Nodes;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Exceptions;
using Microsoft.Extensions.Options;

namespace Tidings.Tracking;

/// <summary>
/// Where a client address is, for the <c>countrycode</c>, <c>countryname</c>, <c>regioncode</c> and <c>city</c> columns of
/// the impression and click log files, from the MaxMind-format database of <see cref="TrackingOptions.GeoIpDatabase"/>.
/// Without one it finds nothing. The database is memory-mapped and read by every request thread at once.
/// </summary>
public sealed class GeoLocator : IDisposable
{
    private readonly DatabaseReader? _reader;
    private readonly bool _hasCities;

    public GeoLocator(IOptions<TrackingOptions> options)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.GeoIpDatabase)) return;
        var path = Path.GetFullPath(o.GeoIpDatabase);
        try
        {
            _reader = new DatabaseReader(path, [o.GeoIpLanguage], FileAccessMode.MemoryMapped);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDatabaseException)
        {
            throw new InvalidOperationException($"Tracking:GeoIpDatabase: '{path}' cannot be read as a MaxMind database: {ex.Message}", ex);
        }

        var type = _reader.Metadata.DatabaseType;
        _hasCities = type.Contains("City", StringComparison.OrdinalIgnoreCase);
        if (!_hasCities && !type.Contains("Country", StringComparison.OrdinalIgnoreCase))
        {
            _reader.Dispose();
            throw new InvalidOperationException($"Tracking:GeoIpDatabase: '{path}' is a '{type}' database; a City or Country database is needed");
        }
    }

    /// <summary>Adds what the database knows about <paramref name="address"/> to an event's facts (nothing if it knows nothing).</summary>
    public void AddTo(JsonObject facts, IPAddress? address)
    {
        if (_reader is null || address is null) return;
        try
        {
            if (_hasCities)
            {
                if (!_reader.TryCity(address, out var city) || city is null) return;
                Add(facts, "countrycode", city.Country.IsoCode);
                Add(facts, "countryname", city.Country.Name);
                Add(facts, "regioncode", city.Subdivisions.Count > 0 ? city.Subdivisions[0].IsoCode : null);
                Add(facts, "city", city.City.Name);
            }
            else if (_reader.TryCountry(address, out var country) && country is not null)
            {
                Add(facts, "countrycode", country.Country.IsoCode);
                Add(facts, "countryname", country.Country.Name);
            }
        }
        catch (Exception ex) when (ex is GeoIP2Exception or InvalidDatabaseException)
        {
            // A damaged record costs the event its location, never the event itself.
        }
    }

    private static void Add(JsonObject facts, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) facts[key] = value;
    }

    public void Dispose() => _reader?.Dispose();
}
