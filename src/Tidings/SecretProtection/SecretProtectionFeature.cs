using Microsoft.Extensions.Options;
using Tidings.Hosting;
using Tidings.Storage;

namespace Tidings.SecretProtection;

/// <summary>
/// Secrets at rest: values in the registered <see cref="SecretColumn"/>s are stored AES-256-GCM encrypted under a master
/// key that is not in the database, each bound to its row. At start, values stored before encryption are encrypted,
/// values in the older form not bound to their row are rewritten bound to it, and the server does not start when a
/// stored value does not decrypt with the keys configured. Register after storage: the start-up pass runs after the
/// migrations and before the features that read secrets.
/// </summary>
internal static partial class SecretProtectionFeature
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

    /// <summary>
    /// Encrypts what is still stored in plain text, binds to their row the values in the older form (progress in the
    /// log), and refuses to start on values no configured key decrypts.
    /// </summary>
    private sealed partial class EncryptSecretsOnStart(SecretColumnSweep sweep, ISecretProtector protector, ILogger<EncryptSecretsOnStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var results = await sweep.RunAsync(SecretSweepMode.Upgrade, cancellationToken);
            foreach (var result in results.Where(r => r.Rewritten > 0))
            {
                LogUpgraded(result.Rewritten, result.Purpose, protector.PrimaryKeyId);
            }

            if (results.Any(r => r.Unreadable.Count > 0))
            {
                throw new InvalidOperationException("Not starting: " + SecretSweepReport.Unreadable(results));
            }

            LogEncrypted(protector.PrimaryKeyId);
        }

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
            Message = "Encrypted {Count} stored values of {Purpose} with master key {KeyId}, each bound to its row")]
        private partial void LogUpgraded(int count, string purpose, string keyId);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Secrets at rest are encrypted with master key {KeyId}, each bound to its row")]
        private partial void LogEncrypted(string keyId);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
