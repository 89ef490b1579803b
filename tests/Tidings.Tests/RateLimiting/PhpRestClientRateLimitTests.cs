using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.RateLimiting;

/// <summary>The rate limit on (3 calls per token per hour) on a real port, answering refused REST calls with the given status.</summary>
public class PhpRateLimitedApp : KestrelTidingsApp
{
    protected virtual string RejectionStatus => "400";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitLimit"] = "3",
        ["RateLimiting:Window"] = "01:00:00",
        ["RateLimiting:RejectionStatus"] = RejectionStatus,
    };
}

public sealed class PhpRateLimited429App : PhpRateLimitedApp
{
    protected override string RejectionStatus => "429";
}

/// <summary>
/// Why a refusal is HTTP 400 by default: a client with the rules of Copernica's PHP class (php/rest-writes.php) reports
/// only 400 as a failed write; 429 it would take for success, so the write would be lost without anyone knowing.
/// Runs in the SQLite pass of the suite only.
/// </summary>
public sealed class PhpRestClientRateLimitTests(PhpRateLimitedApp app) : IClassFixture<PhpRateLimitedApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Copernicas_PHP_class_sees_a_refused_write_as_failed()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Shop" });

        var results = await PhpRestWrites.PostAsync(app.BaseAddress, client.Token,
            Enumerable.Range(1, 3).Select(i => ($"database/{db}/profiles", (object)new { fields = new { n = i } })).ToArray());

        results[0]!["result"]!.GetValueKind().ShouldBe(JsonValueKind.Number, "the first two writes fit in the budget");
        results[1]!["result"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        results[2]!["status"]!.GetValue<int>().ShouldBe(400);
        results[2]!["result"]!.GetValueKind().ShouldBe(JsonValueKind.False, "the class reports the refused write as failed");
    }
}

/// <summary>With the 429 option the same client reports the refused write as a success: what the option risks.</summary>
public sealed class PhpRestClient429Tests(PhpRateLimited429App app) : IClassFixture<PhpRateLimited429App>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Copernicas_PHP_class_takes_a_429_for_success()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Shop" });

        var results = await PhpRestWrites.PostAsync(app.BaseAddress, client.Token,
            Enumerable.Range(1, 3).Select(i => ($"database/{db}/profiles", (object)new { fields = new { n = i } })).ToArray());

        results[2]!["status"]!.GetValue<int>().ShouldBe(429);
        results[2]!["result"]!.GetValueKind().ShouldBe(JsonValueKind.True, "the class takes every status but 400 for success");
    }
}

/// <summary>Runs php/rest-writes.php (PHP's command-line interpreter with its curl extension).</summary>
internal static class PhpRestWrites
{
    private const string Need = "run PHP with curl";
    private const string Install = "install the Debian packages php-cli and php-curl";

    public static async Task<JsonArray> PostAsync(Uri baseAddress, string token, params (string Path, object Data)[] posts)
    {
        var input = JsonSerializer.Serialize(new
        {
            @base = baseAddress.ToString().TrimEnd('/'),
            token,
            posts = posts.Select(p => new { path = p.Path, data = p.Data }),
        });
        var (exitCode, output) = await ScriptProcess.RunAsync("php", ["rest-writes.php"], Folder(), input,
            reason => MissingDependency.Report(Need, $"php could not be started ({reason}); {Install}"), timeout: TimeSpan.FromMinutes(1));
        if (output.Contains("curl_init", StringComparison.Ordinal)) MissingDependency.Report(Need, $"PHP has no curl extension; {Install}");
        exitCode.ShouldBe(0, output);
        return JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsArray();
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tidings.Tests", "RateLimiting", "php");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("tests/Tidings.Tests/RateLimiting/php was not found above " + AppContext.BaseDirectory);
    }
}
