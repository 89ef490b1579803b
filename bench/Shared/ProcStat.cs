using System.Globalization;

namespace Tidings.Bench;

/// <summary>What the benchmarks read of the server process from <c>/proc</c>.</summary>
public static class ProcStat
{
    /// <summary>User plus system CPU time of a process so far (from /proc/pid/stat, in clock ticks of 1/100 s); 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
