using System.Diagnostics;

namespace Tidings.Tests.Telemetry;

/// <summary>Prometheus' own checker (<c>promtool</c>, Debian package <c>prometheus</c>).</summary>
public static class Promtool
{
    /// <summary>Exit code 3: the input parses, but lint rules complain (the complaints are the output).</summary>
    public const int LintProblems = 3;

    /// <summary>
    /// The only lint complaints <c>/metrics</c> may draw: gauges of the .NET runtime's own meter whose names end in
    /// <c>_count</c> (OpenTelemetry's names for counts held now, which promtool reads as a summary's part).
    /// </summary>
    public static readonly string[] RuntimeCountGauges =
        ["dotnet_assembly_count", "dotnet_process_cpu_count", "dotnet_thread_pool_thread_count", "dotnet_timer_count"];

    public static async Task<(int ExitCode, string Output)> RunAsync(string stdin, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start (Debian package prometheus)");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        return (process.ExitCode, (await output) + (await error));
    }

    /// <summary>Runs <c>promtool check metrics</c>; fails unless the exposition is clean but for <see cref="RuntimeCountGauges"/>.</summary>
    public static async Task CheckMetricsAsync(string exposition, CancellationToken ct)
    {
        var (code, output) = await RunAsync(exposition, ct, "check", "metrics");
        var complaints = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var expected = RuntimeCountGauges.Where(g => exposition.Contains("\n" + g + "{", StringComparison.Ordinal) || exposition.Contains("\n" + g + " ", StringComparison.Ordinal))
            .Select(g => $"{g} non-histogram and non-summary metrics should not have \"_count\" suffix").ToList();
        complaints.ShouldBe(expected, ignoreOrder: true, "promtool check metrics: only the runtime's _count gauges may draw a complaint");
        code.ShouldBe(expected.Count == 0 ? 0 : LintProblems, output);
    }
}
