using Microsoft.Extensions.Options;

namespace Tidings.Tracking;

/// <summary>
/// Refuses, with the configuration checked at start, a <c>Tracking:GeoIpDatabase</c> that cannot be read or holds no
/// locations, before the server creates anything.
/// </summary>
internal sealed class GeoIpDatabaseCheck : IValidateOptions<TrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.GeoIpDatabase)) return ValidateOptionsResult.Success;
        try
        {
            GeoLocator.Probe(Path.GetFullPath(options.GeoIpDatabase), options.GeoIpLanguage);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
