using System.Diagnostics;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// An npm project under <c>tests/</c> that tests run real JavaScript tools from. Its packages come from the committed
/// lock file: CI's <c>npm ci</c> installs them, and a plain <c>dotnet test</c> runs <c>npm ci</c> itself the first time.
/// Without node, npm or the packages a test is skipped on a developer machine but fails when <c>CI=true</c>, so a
/// missing install step can never pass unnoticed in CI.
/// </summary>
/// <param name="folder">The project's folder below the repository root (<c>tests/Tidings.Tests/…</c>).</param>
/// <param name="purpose">What CI must do with it, for the failure message ("run the independent verifiers").</param>
/// <param name="installed">Whether the packages the tests need are in <c>node_modules</c>, given the folder.</param>
public sealed class NpmProject(string folder, string purpose, Func<string, bool> installed)
{
    private readonly Lazy<Task> _installation = new(() => InstallIfMissingAsync(Locate(folder), installed));

    /// <summary>The project's folder, or an empty string when it was not found above the test assembly.</summary>
    public string Folder { get; } = Locate(folder);

    /// <summary>Makes sure node and the packages are there (installing them once); otherwise skips or fails the test.</summary>
    public async Task RequireAsync()
    {
        if (Folder.Length == 0) Unavailable($"the folder {folder} was not found");
        await _installation.Value;
        if (!ScriptProcess.IsOnPath("node")) Unavailable("node is not installed (Debian package nodejs)");
        if (!installed(Folder)) Unavailable($"its npm packages are not installed: run `npm ci` in {Folder}");
    }

    /// <summary>Skips the test outside CI and fails it under <c>CI=true</c>, saying why.</summary>
    public void Unavailable(string why) => MissingDependency.Report(purpose, why);

    private static string Locate(string folder)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder);
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }

        return "";
    }

    private static async Task InstallIfMissingAsync(string folder, Func<string, bool> installed)
    {
        if (folder.Length == 0 || installed(folder) || !ScriptProcess.IsOnPath("npm")) return;
        var start = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) start.ArgumentList.Add(argument);
        using var npm = Process.Start(start)!;
        var output = npm.StandardOutput.ReadToEndAsync();
        var error = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        await Task.WhenAll(output, error);
    }
}

/// <summary>What a test does when a real client or tool it needs is missing: skip on a developer machine, fail in CI.</summary>
public static class MissingDependency
{
    public static void Report(string purpose, string why)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI must {purpose}, but {why}.");
        }

        Assert.Skip($"Skipped outside CI: {why}.");
    }
}
