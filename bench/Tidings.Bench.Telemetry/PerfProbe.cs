using System.Diagnostics;

namespace Tidings.Bench.Telemetry;

/// <summary>Whether <c>perf stat -e instructions</c> counts on this machine (a virtual machine often has no PMU).</summary>
public static class PerfProbe
{
    public static string Describe()
    {
        try
        {
            var start = new ProcessStartInfo("perf", ["stat", "-x,", "-e", "instructions", "--", "true"]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var perf = Process.Start(start)!;
            var output = perf.StandardError.ReadToEnd();
            perf.WaitForExit();
            return output.Contains("<not supported>", StringComparison.Ordinal) || perf.ExitCode != 0
                ? "perf stat -e instructions: not supported here (no hardware counters), so CPU time is the only measure"
                : "perf stat -e instructions: supported (run the server under perf stat for a second measure): " + output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "perf: not installed";
        }
    }
}
