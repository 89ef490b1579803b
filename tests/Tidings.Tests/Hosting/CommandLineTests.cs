using System.Reflection;

namespace Tidings.Tests.Hosting;

/// <summary>
/// The command line as an operator meets it, run as the real executable: what is not a verb or a setting prints the
/// usage instead of starting a server, and bad configuration stops it with one line before anything is created.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-cli-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_directory, "data", "tidings.db");

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        Infrastructure.CommandLine.RunAsync(Database, [], Bound, null, args);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-x")]
    [InlineData("/x")]
    [InlineData("x=y")]
    [InlineData("help")]
    [InlineData("frobnicate")]
    [InlineData("--urls")]
    [InlineData("--urls", "http://127.0.0.1:0", "--help")]
    [InlineData("--urls", "http://127.0.0.1:0", "stray")]
    public async Task What_is_neither_a_verb_nor_settings_prints_the_usage_and_exits_2_without_creating_anything(params string[] args)
    {
        // "--urls" alone is followed by the --Storage:SqlitePath switch the helper adds: a key without its value.
        var (exitCode, output) = await RunAsync(args);

        exitCode.ShouldBe(2, output);
        output.ShouldContain("Usage:");
        output.ShouldContain("Tidings [--Key=Value | --Key Value]...");
        output.ShouldContain("accounts create <name>");
        output.ShouldContain("secrets reencrypt");
        Directory.Exists(_directory).ShouldBeFalse();
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var (exitCode, output) = await RunAsync("--version");

        exitCode.ShouldBe(0, output);
        var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        output.Trim().ShouldBe("Tidings " + version);
        Directory.Exists(_directory).ShouldBeFalse();
    }

    [Theory]
    [InlineData("--Webhooks:Dispatch:ReadBatchSize=0", "Invalid configuration: Webhooks:Dispatch:ReadBatchSize: The field ReadBatchSize must be between 1 and 100000.")]
    [InlineData("--Webhooks:Dispatch:ReadBatchSize=many", "Invalid configuration: Webhooks:Dispatch:ReadBatchSize: 'many' is not a valid Int32")]
    [InlineData("--Storage:Provider=Postgres", "Invalid configuration: Storage:PostgresConnectionString must be set when Storage:Provider is Postgres.")]
    [InlineData("--Secrets:PrimaryKeyId=nowhere", "Invalid configuration: Secrets:PrimaryKeyId is 'nowhere', but there is no master key with that id")]
    [InlineData("--Webhooks:Delivery:AllowedNetworks:0=intranet", "Invalid configuration: Webhooks:Delivery:AllowedNetworks: 'intranet' is not a network in CIDR notation")]
    [InlineData("--Tracking:GeoIpDatabase=missing.mmdb", "Invalid configuration: Tracking:GeoIpDatabase: ")]
    [InlineData("--Server:TrustedProxies:0=proxy.local", "Invalid configuration: Server:TrustedProxies: 'proxy.local' is not an IP address or CIDR range")]
    [InlineData("--Server:RequestHeadersTimeout=00:00:00", "Invalid configuration: Server:RequestHeadersTimeout: The field RequestHeadersTimeout must be between 00:00:01 and 00:05:00.")]
    [InlineData("--Server:MinResponseGracePeriod=00:00:01", "Invalid configuration: Server:MinResponseGracePeriod: The field MinResponseGracePeriod must be between 00:00:02 and 00:05:00.")]
    [InlineData("--Storage:StreamingReadConnections=0", "Invalid configuration: Storage:StreamingReadConnections: The field StreamingReadConnections must be between 1 and 1000.")]
    [InlineData("--Server:ShutdownTimeout=00:00:00", "Invalid configuration: Server:ShutdownTimeout: ShutdownTimeout must be between 1 second and 10 minutes.")]
    [InlineData("--Webhooks:Dispatch:ShutdownGrace=00:00:30", "Invalid configuration: Webhooks:Dispatch:ShutdownGrace must be shorter than Server:ShutdownTimeout")]
    public async Task Bad_configuration_prints_one_line_naming_the_setting_and_exits_1_before_creating_any_file_or_key(string setting, string message)
    {
        var (exitCode, output) = await RunAsync("--urls", "http://127.0.0.1:0", setting);

        exitCode.ShouldBe(1, output);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldHaveSingleItem().ShouldStartWith(message);
        Directory.Exists(_directory).ShouldBeFalse("no database, master key or token file may exist");
    }

    [Fact]
    public async Task An_appsettings_file_that_is_not_json_is_reported_in_one_line_with_exit_1()
    {
        var folder = Path.Combine(_directory, "settings");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{ \"Urls\": ", TestContext.Current.CancellationToken);

        var (exitCode, output) = await RunAsync($"--contentRoot={folder}");

        exitCode.ShouldBe(1, output);
        output.Trim().ShouldStartWith($"Invalid configuration: Failed to load configuration from file '{Path.Combine(folder, "appsettings.json")}': Could not parse the JSON file");
        output.Trim().ShouldNotContain("\n");
        Directory.Exists(Path.Combine(_directory, "data")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_verb_with_bad_configuration_is_refused_the_same_way()
    {
        var (exitCode, output) = await RunAsync("accounts", "create", "Shop", "--Accounts:TokenCacheSeconds=-5");

        exitCode.ShouldBe(1, output);
        output.Trim().ShouldBe("Invalid configuration: Accounts:TokenCacheSeconds: The field TokenCacheSeconds must be between 0 and 86400.");
        Directory.Exists(_directory).ShouldBeFalse();
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
