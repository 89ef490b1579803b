using System.Text.RegularExpressions;

namespace Tidings.Bench;

/// <summary>The machine a benchmark ran on, as its report's first line gives it: cores, CPU model, memory and .NET.</summary>
public static class MachineFacts
{
    public static string Line()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First() : "";
        return $"Machine: {Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}, {Regex.Replace(memory, @"\s+", " ")}, .NET {Environment.Version}";
    }
}
