using System.Globalization;

namespace Tidings.Bench.Webhooks;

/// <summary>The server's resident memory (VmRSS, sampled from /proc every second) and its CPU time.</summary>
public sealed class ProcessStats : IDisposable
{
    private readonly int _pid;
    private readonly List<long> _rssKb = [];
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
                var rss = RssKb(pid);
                if (rss > 0) lock (_rssKb) _rssKb.Add(rss);
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


    private static long RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }

        return 0;
    }
}
