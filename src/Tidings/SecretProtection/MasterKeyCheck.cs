using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.SecretProtection;

/// <summary>
/// Checks the master key settings with the rest of the configuration at start, before the key file may be created
/// (<see cref="MasterKeyRing.Problem"/>).
/// </summary>
internal sealed class MasterKeyCheck(IOptions<StorageOptions> storage) : IValidateOptions<SecretProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretProtectionOptions options) =>
        MasterKeyRing.Problem(options, SecretProtectionFeature.KeyFilePath(options, storage.Value)) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
