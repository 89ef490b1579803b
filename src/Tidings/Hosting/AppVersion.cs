using System.Reflection;

namespace Tidings.Hosting;

/// <summary>The version <c>--version</c> prints: the assembly's informational version (with the commit when built from git).</summary>
internal static class AppVersion
{
    public static string Text =>
        "Tidings " + (typeof(AppVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(AppVersion).Assembly.GetName().Version?.ToString() ?? "unknown");
}
