using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Signing;
using Tidings.Tracking;

namespace Tidings.Tests.Tracking;

/// <summary>
/// A server with a GeoIP database (written by <see cref="MmdbWriter"/>, read by MaxMind's reader), names in German,
/// behind a trusted proxy in 10.0.0.0/8.
/// </summary>
public sealed class GeoIpApp : TidingsApp
{
    public const string PeerHeader = "X-Test-Peer";

    public string DatabaseFile { get; } = Path.Combine(Path.GetTempPath(), $"tidings-geo-{Guid.NewGuid():N}.mmdb");

    public GeoIpApp() => GeoIpTests.WriteCityDatabase(DatabaseFile);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Tracking:TrustedProxies:0"] = "10.0.0.0/8",
        ["Tracking:GeoIpDatabase"] = DatabaseFile,
        ["Tracking:GeoIpLanguage"] = "de",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new PeerFromHeader(PeerHeader)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(DatabaseFile);
    }
}

public sealed class GeoIpTests(GeoIpApp app) : IClassFixture<GeoIpApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>81.2.69.0/24: London, England; 2001:db8::/32: Germany without region or city.</summary>
    internal static void WriteCityDatabase(string path) => new MmdbWriter("GeoIP2-City")
        .Add("81.2.69.0/24", MmdbWriter.City("GB", "United Kingdom", "Vereinigtes Königreich", "ENG", "London"))
        .Add("2001:db8::/32", MmdbWriter.City("DE", "Germany", "Deutschland", null, null))
        .Write(path);

    [Fact]
    public async Task Opens_and_clicks_get_the_country_region_and_city_of_the_client_address_in_their_log_files()
    {
        var client = await app.NewAccountAsync();
        var d = (await MailingScenario.CreateAsync(client, profiles: 1)).Destinations[0];
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        (await http.SendAsync(Behind("10.1.2.3", "81.2.69.160", d.OpenUrl), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.SendAsync(Behind("10.1.2.3", "2001:db8::7", d.ClickUrls[0]), Ct)).StatusCode.ShouldBe(HttpStatusCode.Found);

        var open = await SingleRowAsync(client, "cdm-impression");
        (open["ip"]!.GetValue<string>(), open["countrycode"]!.GetValue<string>(), open["countryname"]!.GetValue<string>())
            .ShouldBe(("81.2.69.160", "GB", "Vereinigtes Königreich"));
        (open["regioncode"]!.GetValue<string>(), open["city"]!.GetValue<string>()).ShouldBe(("ENG", "London"));

        var click = await SingleRowAsync(client, "cdm-click");
        (click["ip"]!.GetValue<string>(), click["countrycode"]!.GetValue<string>(), click["countryname"]!.GetValue<string>())
            .ShouldBe(("2001:db8::7", "DE", "Deutschland"));
        (click["regioncode"]!.GetValue<string>(), click["city"]!.GetValue<string>()).ShouldBe(("", ""));
    }

    [Fact]
    public async Task An_address_the_database_does_not_know_is_recorded_without_a_location()
    {
        var client = await app.NewAccountAsync();
        var d = (await MailingScenario.CreateAsync(client, profiles: 1)).Destinations[0];

        (await client.Http.SendAsync(Behind("10.1.2.3", "198.51.100.20", d.OpenUrl), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var open = await SingleRowAsync(client, "cdm-impression");
        open["ip"]!.GetValue<string>().ShouldBe("198.51.100.20");
        foreach (var column in new[] { "countrycode", "countryname", "regioncode", "city" }) open[column]!.GetValue<string>().ShouldBe("", column);
    }

    [Fact]
    public void A_country_database_gives_the_country_only()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tidings-geo-{Guid.NewGuid():N}.mmdb");
        try
        {
            new MmdbWriter("GeoLite2-Country").Add("81.2.69.0/24", MmdbWriter.City("GB", "United Kingdom", "Vereinigtes Königreich", "ENG", "London")).Write(path);
            using var locator = Locator(path, TimeProvider.System);
            var facts = new JsonObject();

            locator.AddTo(facts, IPAddress.Parse("81.2.69.1"));

            facts.ToJsonString().ShouldBe("""{"countrycode":"GB","countryname":"United Kingdom"}""");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("GeoLite2-ASN", "is a 'GeoLite2-ASN' database; a City or Country database is needed")]
    [InlineData(null, "cannot be read as a MaxMind database")]
    public void A_file_that_is_not_a_city_or_country_database_is_refused_naming_the_setting(string? databaseType, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tidings-geo-{Guid.NewGuid():N}.mmdb");
        try
        {
            if (databaseType is null) File.WriteAllText(path, "not a database");
            else new MmdbWriter(databaseType).Add("81.2.69.0/24", new Dictionary<string, object> { ["autonomous_system_number"] = 64500u }).Write(path);

            var error = Should.Throw<InvalidOperationException>(() => Locator(path, TimeProvider.System));

            error.Message.ShouldStartWith("Tracking:GeoIpDatabase: ");
            error.Message.ShouldContain(expected);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_newer_database_file_replaces_the_loaded_one_and_a_broken_one_does_not()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tidings-geo-{Guid.NewGuid():N}.mmdb");
        var time = new ManualTime(DateTimeOffset.UtcNow);
        try
        {
            WriteCityDatabase(path);
            using var locator = Locator(path, time);
            Country(locator).ShouldBe("GB");
            locator.ReloadIfChanged().ShouldBeFalse(); // unchanged

            // As geoipupdate does it: the new edition is written next to the old one and renamed over it.
            var next = path + ".new";
            new MmdbWriter("GeoIP2-City").Add("81.2.69.0/24", MmdbWriter.City("IE", "Ireland", "Irland", null, "Dublin")).Write(next);
            File.SetLastWriteTimeUtc(next, DateTime.UtcNow.AddMinutes(1));
            File.Move(next, path, overwrite: true);
            locator.ReloadIfChanged().ShouldBeTrue();
            Country(locator).ShouldBe("IE");

            File.WriteAllText(next, "a download cut short");
            File.SetLastWriteTimeUtc(next, DateTime.UtcNow.AddMinutes(2));
            File.Move(next, path, overwrite: true);
            locator.ReloadIfChanged().ShouldBeFalse();
            Country(locator).ShouldBe("IE");

            time.Now += TimeSpan.FromMinutes(2); // the replaced database is closed at the next look after a minute
            locator.ReloadIfChanged().ShouldBeFalse();
            Country(locator).ShouldBe("IE");
        }
        finally
        {
            File.Delete(path);
        }

        static string? Country(GeoLocator locator)
        {
            var facts = new JsonObject();
            locator.AddTo(facts, IPAddress.Parse("81.2.69.160"));
            return facts["countrycode"]?.GetValue<string>();
        }
    }

    private static GeoLocator Locator(string path, TimeProvider time) =>
        new(Options.Create(new TrackingOptions { GeoIpDatabase = path }), time, NullLogger<GeoLocator>.Instance);

    private static HttpRequestMessage Behind(string proxy, string client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(GeoIpApp.PeerHeader, proxy);
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }

    /// <summary>The one row of today's log file of a type (the account has only today's events).</summary>
    private async Task<JsonObject> SingleRowAsync(ApiClient client, string type)
    {
        await app.Services.JournaledAsync(Ct);
        var name = (await client.GetJsonAsync($"/v3/logfiles?type={type}"))!.AsArray().ShouldHaveSingleItem()!.GetValue<string>();
        var response = await client.GetAsync($"/v3/logfile/{name}/json");
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(200, body);
        return JsonNode.Parse(body)!.AsArray().ShouldHaveSingleItem()!.AsObject();
    }
}
