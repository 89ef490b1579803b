using System.Text.Json;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Signing;

/// <summary>
/// Runs <c>php/copernica-verifier.php</c> with the PHP command-line interpreter (Debian's <c>php-cli</c>). Without
/// <c>php</c> the test is skipped on a developer machine but fails when <c>CI=true</c>.
/// </summary>
public static class PhpVerifier
{
    private const string Script = "copernica-verifier.php";

    public static string Folder { get; } = FindFolder();

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tidings.Tests", "Webhooks", "Signing", "php");
            if (File.Exists(Path.Combine(candidate, Script))) return candidate;
        }

        return "";
    }

    /// <summary>Runs the verifier with <paramref name="input"/> as JSON on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(object input)
    {
        if (Folder.Length == 0) Unavailable("the folder tests/Tidings.Tests/Webhooks/Signing/php was not found");
        return await ScriptProcess.RunAsync("php", [Script], Folder, JsonSerializer.Serialize(input),
            reason => Unavailable($"php could not be started ({reason}); install the Debian package php-cli"));
    }

    /// <summary>The verifier accepts the call; returns what it printed.</summary>
    public static async Task<string> ShouldVerifyAsync(object input)
    {
        var (exitCode, output) = await RunAsync(input);
        exitCode.ShouldBe(0, $"{Script} rejected the call: {output}");
        return output;
    }

    /// <summary>The verifier rejects the call (exit 1, not a crash) for the reason given.</summary>
    public static async Task ShouldRejectAsync(object input, string reason)
    {
        var (exitCode, output) = await RunAsync(input);
        exitCode.ShouldBe(1, $"{Script} should have rejected the call: {output}");
        output.ShouldContain("rejected: " + reason, Case.Sensitive, output);
    }

    private static void Unavailable(string why) => MissingDependency.Report("run the PHP verifier", why);
}
