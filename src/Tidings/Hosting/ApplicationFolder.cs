namespace Tidings.Hosting;

/// <summary>
/// The content root is the folder of Tidings.dll, not the working directory, so that <c>appsettings.json</c> next to it
/// applies however the server is started (<c>dotnet /opt/tidings/Tidings.dll</c> from anywhere, a service manager).
/// Relative data paths still resolve against the working directory (docs/configuration.md).
/// </summary>
internal static class ApplicationFolder
{
    /// <summary>The content root to use, or null when one is given on the command line or in the environment.</summary>
    public static string? ContentRoot(string[] args)
    {
        var given = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ||
            Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 } ||
            Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 };
        return given ? null : AppContext.BaseDirectory;
    }
}
