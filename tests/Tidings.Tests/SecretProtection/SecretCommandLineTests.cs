using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.SecretProtection;

/// <summary>The <c>secrets</c> verbs, run as an operator would: the real executable against a fresh SQLite file.</summary>
public sealed class SecretCommandLineTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-cli-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Secrets_status_counts_values_per_key_and_reencrypt_moves_them_to_the_primary_key()
    {
        var created = await RunAsync([], "keys", "list");
        created.ExitCode.ShouldBe(0, created.Output);
        created.Output.ShouldContain("Created the master key file " + Path.Combine(_directory, "master.key"));
        created.Output.ShouldContain("Back it up");

        var status = await RunAsync([], "secrets", "status");
        status.ExitCode.ShouldBe(0, status.Output);
        var fileKey = status.Output.Split('\n').Single(l => l.StartsWith("Primary master key: ", StringComparison.Ordinal))["Primary master key: ".Length..].Trim();
        fileKey.ShouldStartWith("file_");
        status.Output.ShouldContain($"webhook_signing_keys.private_key: 1 {fileKey} (primary)");
        status.Output.ShouldContain("webhook_secrets.secret: no values");

        string[] rotated = ["--Secrets:MasterKeys:2026=" + SharedStore.NewKey(), "--Secrets:PrimaryKeyId=2026"];
        var reencrypt = await RunAsync(rotated, "secrets", "reencrypt");
        reencrypt.ExitCode.ShouldBe(0, reencrypt.Output);
        reencrypt.Output.ShouldContain("webhook_signing_keys.private_key: 1 value(s) re-encrypted with master key 2026");
        reencrypt.Output.ShouldContain("webhook_signing_keys.private_key: 1 2026 (primary)");

        // The key file is no longer needed.
        File.Delete(Path.Combine(_directory, "master.key"));
        var without = await RunAsync(rotated, "keys", "list");
        without.ExitCode.ShouldBe(0, without.Output);
        File.Exists(Path.Combine(_directory, "master.key")).ShouldBeFalse();

        var missing = await RunAsync(["--Secrets:MasterKeys:other=" + SharedStore.NewKey()], "secrets", "status");
        missing.ExitCode.ShouldBe(1, missing.Output);
        missing.Output.ShouldContain("master key '2026', which is not configured on this node");

        (await RunAsync([], "secrets", "shred")).ExitCode.ShouldBe(2);
    }

    private Task<(int ExitCode, string Output)> RunAsync(string[] settings, params string[] args) =>
        Infrastructure.CommandLine.RunAsync(Path.Combine(_directory, "t.db"), settings, args);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
