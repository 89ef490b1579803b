using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.ApiDocs;

/// <summary>
/// The npm project in <c>client/</c>: Redocly's linter, openapi-typescript, openapi-fetch and TypeScript, installed
/// from the committed lock file (CI's <c>npm ci</c> does it; a plain <c>dotnet test</c> does it here the first time).
/// Without node or the packages a test is skipped on a developer machine but fails when <c>CI=true</c>.
/// </summary>
public static class ClientCheckProject
{
    private static readonly string[] Tools = ["redocly", "openapi-typescript", "tsc"];

    private static readonly NpmProject Project = new(
        Path.Combine("tests", "Tidings.Tests", "ApiDocs", "client"), "lint the OpenAPI document and run the generated client",
        folder => Tools.All(t => File.Exists(Path.Combine(folder, "node_modules", ".bin", t))) && Directory.Exists(Path.Combine(folder, "node_modules", "openapi-fetch")));

    public static string Folder => Project.Folder;

    /// <summary>Where the tests put what they generate (the document, its types, the compiled check); ignored by git.</summary>
    public static string Generated => Path.Combine(Folder, "generated");

    /// <summary>Runs a tool of the project (<c>node_modules/.bin/NAME</c>), or <c>node</c>, in its folder.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        await Project.RequireAsync();
        var quiet = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["NO_COLOR"] = "1",
            ["REDOCLY_TELEMETRY"] = "off",
            ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
        };
        return await ScriptProcess.RunAsync(tool == "node" ? "node" : Path.Combine(Folder, "node_modules", ".bin", tool), arguments, Folder,
            standardInput: null, reason => Project.Unavailable($"{tool} could not be started ({reason})"), quiet, TimeSpan.FromMinutes(5));
    }
}
