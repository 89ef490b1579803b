using System.Diagnostics;

namespace Tidings.Bench;

/// <summary>Result of a load phase: completed requests, failures, wall time and the rate of every full second.</summary>
public sealed record LoadResult(long Completed, long Failed, TimeSpan Elapsed, IReadOnlyList<double> PerSecond)
{
    /// <summary>Completed requests divided by the wall time of the whole phase.</summary>
    public double Overall => Completed / Elapsed.TotalSeconds;

    /// <summary>Median of the per-second rates (full seconds only; the overall rate when the phase was shorter).</summary>
    public double MedianPerSecond => PerSecond.Count == 0 ? Overall : Stats.Median(PerSecond);
}

/// <summary>Runs <c>concurrency</c> workers that each send one request at a time over a shared keep-alive pool.</summary>
public static class Load
{
    /// <summary>Sends requests until <paramref name="duration"/> is over.</summary>
    public static Task<LoadResult> ForDurationAsync(int concurrency, TimeSpan duration, Func<long, Task<bool>> request) =>
        RunAsync(concurrency, (_, elapsed) => elapsed < duration, request);

    /// <summary>Sends exactly <paramref name="count"/> requests, numbered 0 … count-1.</summary>
    public static Task<LoadResult> CountAsync(int concurrency, long count, Func<long, Task<bool>> request) =>
        RunAsync(concurrency, (n, _) => n < count, request);

    private static async Task<LoadResult> RunAsync(int concurrency, Func<long, TimeSpan, bool> more, Func<long, Task<bool>> request)
    {
        long next = -1, completed = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            var rates = new List<double>();
            var last = 0L;
            var lastAt = clock.Elapsed;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(done.Token))
                {
                    var now = clock.Elapsed;
                    var count = Interlocked.Read(ref completed);
                    rates.Add((count - last) / (now - lastAt).TotalSeconds);
                    (last, lastAt) = (count, now);
                }
            }
            catch (OperationCanceledException)
            {
                // phase over; the last, partial second is not a full sample
            }

            return rates;
        });

        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (!more(n, clock.Elapsed)) return;
                bool ok;
                try
                {
                    ok = await request(n);
                }
                catch (HttpRequestException ex)
                {
                    Console.Error.WriteLine("request failed: " + ex.Message);
                    ok = false;
                }

                Interlocked.Increment(ref ok ? ref completed : ref failed);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        await done.CancelAsync();
        var perSecond = await sampler;
        return new LoadResult(completed, failed, elapsed, perSecond);
    }
}

public static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
