using System.Collections.Concurrent;
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
/// Without one it finds nothing. The database is memory-mapped and read by every request thread at once; a newer file
/// at the same path (as <c>geoipupdate</c> writes it) replaces it on <see cref="ReloadIfChanged"/>.
/// </summary>
internal sealed class GeoLocator : IDisposable
{
    /// <summary>How long a replaced database stays open, so that lookups still running on it finish.</summary>
    private static readonly TimeSpan RetireAfter = TimeSpan.FromMinutes(1);

    private readonly string? _path;
    private readonly string _language;
    private readonly int _cacheSize;
    private readonly TimeProvider _time;
    private readonly ILogger<GeoLocator> _logger;
    private readonly Queue<(Database Database, DateTimeOffset Replaced)> _retired = new();
    private readonly Lock _reloading = new();
    private volatile Database? _current;

    public GeoLocator(IOptions<TrackingOptions> options, TimeProvider time, ILogger<GeoLocator> logger)
    {
        var o = options.Value;
        (_language, _cacheSize, _time, _logger) = (o.GeoIpLanguage, o.GeoIpCacheSize, time, logger);
        if (string.IsNullOrWhiteSpace(o.GeoIpDatabase)) return;
        _path = Path.GetFullPath(o.GeoIpDatabase);
        _current = Database.Open(_path, _language);
    }

    /// <summary>Opens the database file and closes it again; throws, naming the setting, when it is not a usable one.</summary>
    internal static void Probe(string path, string language) => Database.Open(path, language).Reader.Dispose();

    /// <summary>Adds what the database knows about <paramref name="address"/> to an event's facts (nothing if it knows nothing).</summary>
    public void AddTo(JsonObject facts, IPAddress? address)
    {
        if (_current is not { } database || address is null) return;
        if (database.Locate(address, _cacheSize) is not { } place) return;
        Add(facts, "countrycode", place.CountryCode);
        Add(facts, "countryname", place.CountryName);
        Add(facts, "regioncode", place.RegionCode);
        Add(facts, "city", place.City);
    }

    /// <summary>
    /// Opens the file again if it changed (time or size) since it was opened; true when it did. A file that is missing
    /// or cannot be read keeps the database in use, with an error in the log.
    /// </summary>
    public bool ReloadIfChanged()
    {
        if (_path is null) return false;
        lock (_reloading)
        {
            var now = _time.GetUtcNow();
            while (_retired.TryPeek(out var old) && now - old.Replaced >= RetireAfter) _retired.Dequeue().Database.Reader.Dispose();

            var file = new FileInfo(_path);
            var current = _current!;
            if (!file.Exists || (file.LastWriteTimeUtc == current.WrittenUtc && file.Length == current.Length)) return false;
            try
            {
                _current = Database.Open(_path, _language);
            }
            catch (InvalidOperationException ex)
            {
                _logger.GeoIpReloadFailed(ex);
                return false;
            }

            _retired.Enqueue((current, now));
            _logger.GeoIpReloaded(_path, _current.Reader.Metadata.DatabaseType, _current.Reader.Metadata.BuildDate);
            return true;
        }
    }

    private static void Add(JsonObject facts, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) facts[key] = value;
    }

    public void Dispose()
    {
        lock (_reloading)
        {
            _current?.Reader.Dispose();
            while (_retired.TryDequeue(out var old)) old.Database.Reader.Dispose();
        }
    }

    /// <summary>What the database says about an address (null where it says nothing).</summary>
    private sealed record Place(string? CountryCode, string? CountryName, string? RegionCode, string? City);

    private sealed record Database(DatabaseReader Reader, bool HasCities, DateTime WrittenUtc, long Length)
    {
        // Addresses looked up lately (null: not in the database). Opens come again and again from the same addresses
        // (the recipient, mail providers' image proxies), and decoding a City record costs ~10 µs; the cache goes with
        // the database, so a reload starts a new one.
        private readonly ConcurrentDictionary<IPAddress, Place?> _cache = new();

        public Place? Locate(IPAddress address, int cacheSize)
        {
            if (_cache.TryGetValue(address, out var cached)) return cached;
            var place = Lookup(address);
            if (cacheSize > 0)
            {
                if (_cache.Count >= cacheSize) _cache.Clear(); // crude but bounded, like the journal's caches
                _cache[address] = place;
            }

            return place;
        }

        private Place? Lookup(IPAddress address)
        {
            try
            {
                if (HasCities)
                {
                    return Reader.TryCity(address, out var city) && city is not null
                        ? new Place(city.Country.IsoCode, city.Country.Name, city.Subdivisions.Count > 0 ? city.Subdivisions[0].IsoCode : null, city.City.Name)
                        : null;
                }

                return Reader.TryCountry(address, out var country) && country is not null
                    ? new Place(country.Country.IsoCode, country.Country.Name, null, null)
                    : null;
            }
            catch (Exception ex) when (ex is GeoIP2Exception or InvalidDatabaseException)
            {
                return null; // a damaged record costs the event its location, never the event itself
            }
        }

        public static Database Open(string path, string language)
        {
            var file = new FileInfo(path);
            DatabaseReader reader;
            try
            {
                reader = new DatabaseReader(path, [language], FileAccessMode.MemoryMapped);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDatabaseException)
            {
                throw new InvalidOperationException($"Tracking:GeoIpDatabase: '{path}' cannot be read as a MaxMind database: {ex.Message}", ex);
            }

            var type = reader.Metadata.DatabaseType;
            var hasCities = type.Contains("City", StringComparison.OrdinalIgnoreCase);
            if (!hasCities && !type.Contains("Country", StringComparison.OrdinalIgnoreCase))
            {
                reader.Dispose();
                throw new InvalidOperationException($"Tracking:GeoIpDatabase: '{path}' is a '{type}' database; a City or Country database is needed");
            }

            return new Database(reader, hasCities, file.LastWriteTimeUtc, file.Length);
        }
    }
}
