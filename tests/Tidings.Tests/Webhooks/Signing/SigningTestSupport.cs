using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Signing;

/// <summary>A clock the test sets.</summary>
public sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A fixed RSA key, so signer tests need no database.</summary>
public sealed class FixedKey : ISigningKeySource
{
    public FixedKey(string selector = "test-20260101-abcdef", int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        Key = new SigningKey(1, selector, SigningKey.RsaSha256, rsa.ExportPkcs8PrivateKey(), rsa.ExportSubjectPublicKeyInfo(), 0, 0, null);
    }

    public SigningKey Key { get; }

    public ValueTask<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Key);
}

/// <summary>
/// Runs the independent npm verifiers in <c>node/</c>. Without <c>node_modules</c> (or without node) the test is skipped
/// on a developer machine but fails when <c>CI=true</c>, so a missing install step can never pass unnoticed in CI.
/// </summary>
public static class NodeVerifier
{
    public static string Folder { get; } = FindFolder();

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tidings.Tests", "Webhooks", "Signing", "node");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
            candidate = Path.Combine(dir.FullName, "Webhooks", "Signing", "node");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }

        return "";
    }

    /// <summary>Runs <c>node &lt;script&gt;</c> with <paramref name="input"/> as JSON on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, object input)
    {
        await Installation.Value;
        RequireInstalled();
        return await ScriptProcess.RunAsync("node", [script], Folder, JsonSerializer.Serialize(input),
            reason => Unavailable($"node could not be started ({reason})"));
    }

    public static async Task ShouldVerifyAsync(string script, object input)
    {
        var (exitCode, output) = await RunAsync(script, input);
        exitCode.ShouldBe(0, $"{script} rejected the request: {output}");
    }

    public static async Task ShouldRejectAsync(string script, object input)
    {
        var (exitCode, output) = await RunAsync(script, input);
        exitCode.ShouldBe(1, $"{script} should have rejected the request: {output}");
    }

    /// <summary>
    /// Installs the verifiers from the committed lock file the first time they are needed, so that a plain
    /// <c>dotnet test</c> on a fresh machine runs them too (npm must be on the PATH).
    /// </summary>
    private static readonly Lazy<Task> Installation = new(InstallIfMissingAsync);

    private static bool Installed() =>
        Directory.Exists(Path.Combine(Folder, "node_modules", "http-signature")) && Directory.Exists(Path.Combine(Folder, "node_modules", "standardwebhooks"));

    private static async Task InstallIfMissingAsync()
    {
        if (Folder.Length == 0 || Installed()) return;
        try
        {
            var start = new ProcessStartInfo("npm") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) start.ArgumentList.Add(arg);
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            await Task.WhenAll(output, error);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No npm here: RequireInstalled reports it (a skip outside CI, a failure in CI).
        }
    }

    private static void RequireInstalled()
    {
        if (Folder.Length == 0) Unavailable("the folder tests/Tidings.Tests/Webhooks/Signing/node was not found");
        if (!Installed())
        {
            Unavailable($"the npm verifiers are not installed: run `npm ci` in {Folder}");
        }
    }

    private static void Unavailable(string why)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI must run the independent verifiers, but " + why + ".");
        }

        Assert.Skip("Skipped outside CI: " + why + ".");
    }
}
