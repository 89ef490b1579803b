using Microsoft.Extensions.Options;
using Tidings.Accounts;
using Tidings.Storage;

namespace Tidings.SecretProtection;

/// <summary>
/// Secrets at rest: values in the registered <see cref="SecretColumn"/>s are stored AES-256-GCM encrypted under a master
/// key that is not in the database. At start, values stored before encryption are encrypted, and the server does not
/// start when a stored value does not decrypt with the keys configured. Register after storage: the start-up pass runs
/// after the migrations and before the features that read secrets.
/// </summary>
public static class SecretProtectionFeature
{
    public const string KeyFileName = "master.key";

    public static WebApplicationBuilder AddSecretProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretProtectionOptions>().BindConfiguration(SecretProtectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretProtectionOptions>, MasterKeyCheck>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecretProtectionOptions>>().Value;
            var keyFile = KeyFilePath(options, sp.GetRequiredService<IOptions<StorageOptions>>().Value);
            return MasterKeyRing.Load(options, keyFile, sp.GetRequiredService<ILoggerFactory>().CreateLogger<MasterKeyRing>());
        });
        builder.Services.AddSingleton<ISecretProtector, AesGcmSecretProtector>();
        builder.Services.AddSingleton<SecretColumnSweep>();
        builder.Services.AddHostedService<EncryptSecretsOnStart>();
        builder.Services.AddAdminVerbs<SecretAdminVerbs>();
        return builder;
    }

    /// <summary>Declares a column that holds secrets, so the start-up pass and <c>secrets reencrypt</c> cover it.</summary>
    public static IServiceCollection AddSecretColumn(this IServiceCollection services, SecretColumn column) => services.AddSingleton(column);

    /// <summary><see cref="SecretProtectionOptions.MasterKeyFile"/>, or <c>master.key</c> next to the SQLite database (the data folder).</summary>
    public static string KeyFilePath(SecretProtectionOptions options, StorageOptions storage) => Path.GetFullPath(
        options.MasterKeyFile.Length > 0 ? options.MasterKeyFile : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.SqlitePath))!, KeyFileName));

    /// <summary>Encrypts what is still stored in plain text and refuses to start on values no configured key decrypts.</summary>
    private sealed class EncryptSecretsOnStart(SecretColumnSweep sweep, ISecretProtector protector, ILogger<EncryptSecretsOnStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var results = await sweep.RunAsync(SecretSweepMode.EncryptPlaintext, cancellationToken);
            foreach (var result in results.Where(r => r.Rewritten > 0))
            {
                logger.LogInformation("Encrypted {Count} stored values of {Purpose} with master key {KeyId}", result.Rewritten, result.Purpose, protector.PrimaryKeyId);
            }

            if (results.Any(r => r.Unreadable.Count > 0))
            {
                throw new InvalidOperationException("Not starting: " + SecretSweepReport.Unreadable(results));
            }

            logger.LogInformation("Secrets at rest are encrypted with master key {KeyId}", protector.PrimaryKeyId);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
