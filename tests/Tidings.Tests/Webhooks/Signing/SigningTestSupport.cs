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
internal sealed class FixedKey : ISigningKeySource
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
    private static readonly NpmProject Project = new(
        Path.Combine("tests", "Tidings.Tests", "Webhooks", "Signing", "node"), "run the independent verifiers",
        folder => Directory.Exists(Path.Combine(folder, "node_modules", "http-signature")) && Directory.Exists(Path.Combine(folder, "node_modules", "standardwebhooks")));

    public static string Folder => Project.Folder;

    /// <summary>Runs <c>node &lt;script&gt;</c> with <paramref name="input"/> as JSON on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, object input)
    {
        await Project.RequireAsync();
        return await ScriptProcess.RunAsync("node", [script], Folder, JsonSerializer.Serialize(input),
            reason => Project.Unavailable($"node could not be started ({reason})"));
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
}
