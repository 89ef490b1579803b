namespace Tidings.SecretProtection;

/// <summary>
/// The master keys this node holds: the primary one encrypts new values, every one decrypts what it encrypted. Built
/// once at start from <see cref="SecretProtectionOptions"/> and the key file.
/// </summary>
internal sealed class MasterKeyRing
{
    private readonly Dictionary<string, MasterKey> _keys;

    public MasterKeyRing(MasterKey primary, IEnumerable<MasterKey> others)
    {
        _keys = new Dictionary<string, MasterKey>(StringComparer.OrdinalIgnoreCase) { [primary.Id] = primary };
        foreach (var key in others)
        {
            if (!_keys.TryAdd(key.Id, key) && !_keys[key.Id].Key.AsSpan().SequenceEqual(key.Key))
            {
                throw new InvalidOperationException($"Two different master keys have the id '{key.Id}'.");
            }
        }

        Primary = primary;
    }

    public MasterKey Primary { get; }

    public IReadOnlyCollection<MasterKey> All => _keys.Values;

    public MasterKey? Find(string id) => _keys.GetValueOrDefault(id);

    /// <summary>
    /// The configured keys plus the key file's. The file is created (and its creation logged loudly) only when no keys
    /// are configured: with configured keys it matters only for the values it encrypted before.
    /// </summary>
    public static MasterKeyRing Load(SecretProtectionOptions options, string keyFilePath, ILogger logger)
    {
        var configured = options.MasterKeys.Select(k => Configured(k.Key, k.Value)).ToList();
        if (options.PrimaryKeyId.Length == 0 && configured.Count > 1)
        {
            throw new InvalidOperationException("Secrets:PrimaryKeyId must name the master key that encrypts new values when Secrets:MasterKeys holds several.");
        }

        MasterKey? fromFile;
        if (configured.Count == 0)
        {
            (fromFile, var created) = MasterKeyFile.ReadOrCreate(keyFilePath, logger);
            if (created)
            {
                logger.MasterKeyFileCreated(keyFilePath, fromFile!.Id);
            }
        }
        else
        {
            fromFile = MasterKeyFile.Read(keyFilePath, logger);
        }

        var all = fromFile is null ? configured : [.. configured, fromFile];
        var primaryId = options.PrimaryKeyId.Length > 0 ? options.PrimaryKeyId : configured.Count > 0 ? configured[0].Id : fromFile!.Id;
        var primary = all.FirstOrDefault(k => string.Equals(k.Id, primaryId, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"Secrets:PrimaryKeyId is '{primaryId}', but there is no master key with that id (known: {string.Join(", ", all.Select(k => k.Id))}).");
        return new MasterKeyRing(primary, all);
    }

    /// <summary>
    /// Why these settings cannot give a key ring, found without creating the key file (the configuration check at
    /// start, before anything is created); null when they can.
    /// </summary>
    public static string? Problem(SecretProtectionOptions options, string keyFilePath)
    {
        try
        {
            var configured = options.MasterKeys.Select(k => Configured(k.Key, k.Value)).ToList();
            if (options.PrimaryKeyId.Length == 0)
            {
                return configured.Count > 1 ? "Secrets:PrimaryKeyId must name the master key that encrypts new values when Secrets:MasterKeys holds several." : null;
            }

            var fromFile = MasterKeyFile.Read(keyFilePath, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var all = fromFile is null ? configured : [.. configured, fromFile];
            return all.Any(k => string.Equals(k.Id, options.PrimaryKeyId, StringComparison.OrdinalIgnoreCase))
                ? null
                : $"Secrets:PrimaryKeyId is '{options.PrimaryKeyId}', but there is no master key with that id (known: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(k => k.Id)))}).";
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    private static MasterKey Configured(string id, string base64)
    {
        if (!MasterKey.IsValidId(id))
        {
            throw new InvalidOperationException($"Secrets:MasterKeys: '{id}' is not a valid key id (1 to 64 letters, digits, '.', '_' or '-').");
        }

        var key = MasterKey.TryDecode(base64)
            ?? throw new InvalidOperationException($"Secrets:MasterKeys:{id} must be base64 of exactly {MasterKey.Bytes} bytes (e.g. from: openssl rand -base64 32).");
        return new MasterKey(id, key);
    }
}
