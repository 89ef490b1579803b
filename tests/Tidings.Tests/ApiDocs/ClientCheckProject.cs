using System.Diagnostics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.ApiDocs;

/// <summary>
/// The npm project in <c>client/</c>: Redocly's linter, openapi-typescript, openapi-fetch and TypeScript, installed
/// from the committed lock file (CI's <c>npm ci</c> does it; a plain <c>dotnet test</c> does it here the first time).
/// Without node or the packages a test is skipped on a developer machine but fails when <c>CI=true</c>.
/// </summary>
public static class ClientCheckProject
{
    public static string Folder { get; } = FindFolder();

    /// <summary>Where the tests put what they generate (the document, its types, the compiled check); ignored by git.</summary>
    public static string Generated => Path.Combine(Folder, "generated");

    private static readonly string[] Tools = ["redocly", "openapi-typescript", "tsc"];

    private static readonly Lazy<Task> Installation = new(InstallIfMissingAsync);

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tidings.Tests", "ApiDocs", "client");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }

        return "";
    }

    /// <summary>Runs a tool of the project (<c>node_modules/.bin/NAME</c>), or <c>node</c>, in its folder.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        await Installation.Value;
        RequireInstalled();
        var quiet = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["NO_COLOR"] = "1",
            ["REDOCLY_TELEMETRY"] = "off",
            ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
        };
        return await ScriptProcess.RunAsync(tool == "node" ? "node" : Path.Combine(Folder, "node_modules", ".bin", tool), arguments, Folder,
            standardInput: null, reason => Unavailable($"{tool} could not be started ({reason})"), quiet, TimeSpan.FromMinutes(5));
    }

    private static bool Installed() => Tools.All(t => File.Exists(Path.Combine(Folder, "node_modules", ".bin", t)))
        && Directory.Exists(Path.Combine(Folder, "node_modules", "openapi-fetch"));

    private static async Task InstallIfMissingAsync()
    {
        if (Folder.Length == 0 || Installed()) return;
        try
        {
            var start = new ProcessStartInfo("npm") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) start.ArgumentList.Add(argument);
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            await Task.WhenAll(output, error);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No npm here: RequireInstalled reports it (a skip outside CI, a failure in CI).
        }
    }

    private static void RequireInstalled()
    {
        if (Folder.Length == 0) Unavailable("the folder tests/Tidings.Tests/ApiDocs/client was not found");
        if (!Installed()) Unavailable($"its npm packages are not installed: run `npm ci` in {Folder}");
    }

    private static void Unavailable(string why)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI must lint the OpenAPI document and run the generated client, but " + why + ".");
        }

        Assert.Skip("Skipped outside CI: " + why + ".");
    }
}
