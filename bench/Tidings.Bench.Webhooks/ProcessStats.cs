using System.Globalization;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// The server's resident memory (VmRSS, and RssAnon: the anonymous part, heap and stacks, without the mapped files that
/// SQLite and the runtime bring in), sampled from /proc every second, and its CPU time.
/// </summary>
public sealed class ProcessStats : IDisposable
{
    private readonly int _pid;
    private readonly List<long> _rssKb = [];
    private readonly List<long> _anonKb = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public ProcessStats(int pid)
    {
        _pid = pid;
        CpuAtStart = ProcStat.CpuSeconds(pid);
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var (rss, anon) = RssKb(pid);
                if (rss > 0)
                {
                    lock (_rssKb)
                    {
                        _rssKb.Add(rss);
                        _anonKb.Add(anon);
                    }
                }

                try { await Task.Delay(1000, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public double CpuAtStart { get; }

    /// <summary>Server CPU seconds (user + system) since this started.</summary>
    public double CpuSince() => ProcStat.CpuSeconds(_pid) - CpuAtStart;

    public IReadOnlyList<long> SamplesMiB()
    {
        lock (_rssKb) return _rssKb.Select(k => k / 1024).ToList();
    }

    /// <summary>RssAnon samples (MiB), one a second since this started.</summary>
    public IReadOnlyList<long> AnonSamplesMiB()
    {
        lock (_rssKb) return _anonKb.Select(k => k / 1024).ToList();
    }

    /// <summary>RssAnon max, and the trend: the mean of the first and of the last tenth of the samples.</summary>
    public static string AnonTrend(IReadOnlyList<long> samples)
    {
        if (samples.Count == 0) return "n/a";
        var tenth = Math.Max(1, samples.Count / 10);
        return FormattableString.Invariant(
            $"max {samples.Max()} MiB, first/last tenth {samples.Take(tenth).Average():F0} / {samples.TakeLast(tenth).Average():F0} MiB ({samples.Count} samples)");
    }

    public string Summary()
    {
        var s = SamplesMiB().Order().ToArray();
        return s.Length == 0 ? "n/a" : FormattableString.Invariant($"{s[0]} / {s[s.Length / 2]} / {s[^1]} MiB ({s.Length} samples)");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampling.Wait();
        _stop.Dispose();
    }


    private static (long Rss, long Anon) RssKb(int pid)
    {
        long rss = 0, anon = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon = Kb(line);
            }
        }
        catch (IOException) { }

        return (rss, anon);
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
