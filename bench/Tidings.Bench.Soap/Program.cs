using System.Globalization;
using Tidings.Bench;

// Benchmark of the SOAP API against REST, same run, same client: see docs/benchmarks.md ("SOAP and REST").
var options = SoapBenchOptions.Parse(args);
if (options is null) return 2;

var serverDll = options.Server ?? Environment.GetEnvironmentVariable("TIDINGS_BENCH_SERVER_DLL") ?? ServerProcess.LocateServer(options.Build);
var runs = new List<SoapRun>();
for (var run = 1; run <= options.Runs; run++)
{
    Console.Error.WriteLine($"Run {run} of {options.Runs} ({(run % 2 == 1 ? "REST" : "SOAP")} first)");
    runs.Add(await SoapBench.RunAsync(serverDll, options, run));
}

SoapReport.Print(options, runs);
return runs.Any(r => r.Failures > 0) ? 1 : 0;

public sealed record SoapBenchOptions(int Profiles, int Concurrency, int Seconds, int Warmup, int Pool, int Runs, bool Build, string? Server)
{
    public static SoapBenchOptions? Parse(string[] args)
    {
        var o = new SoapBenchOptions(20_000, 32, 10, 3, 20_000, 5, true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value after " + args[i]);
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--profiles": o = o with { Profiles = Int() }; break;
                case "--concurrency": o = o with { Concurrency = Int() }; break;
                case "--seconds": o = o with { Seconds = Int() }; break;
                case "--warmup": o = o with { Warmup = Int() }; break;
                case "--pool": o = o with { Pool = Int() }; break;
                case "--runs": o = o with { Runs = Int() }; break;
                case "--no-build": o = o with { Build = false }; break;
                case "--server": o = o with { Server = Path.GetFullPath(Next()) }; break;
                default:
                    Console.Error.WriteLine("""
                        Usage: Tidings.Bench.Soap [--profiles N] [--concurrency C] [--seconds S] [--warmup W] [--pool P] [--runs K] [--no-build] [--server DLL]
                          --profiles N     profiles created before measuring, the ones searched by email (default 20000)
                          --concurrency C  keep-alive clients, one request in flight each, for every phase (default 32)
                          --seconds S      duration of each measured phase: create and search, over REST and SOAP (default 10)
                          --warmup W       seconds of each of the four calls before measuring, not counted (default 3)
                          --pool P         distinct create bodies per API and run, cycled (default 20000)
                          --runs K         repetitions, each on a fresh server and database, alternating whether REST
                                           or SOAP goes first; figures are medians (default 5)
                          --no-build       use the existing Release build of the server
                          --server DLL     run this Tidings.dll instead (also TIDINGS_BENCH_SERVER_DLL)
                        """);
                    return null;
            }
        }

        return o;
    }
}

/// <summary>The summary block, ready to paste into docs/benchmarks.md: medians over runs, (min–max) after them.</summary>
public static class SoapReport
{
    public static void Print(SoapBenchOptions o, IReadOnlyList<SoapRun> runs)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        string Spread(IEnumerable<double> values, string format)
        {
            var list = values.ToList();
            return list.Count == 1 ? F(list[0], format) : $"{F(Stats.Median(list), format)} ({F(list.Min(), format)}–{F(list.Max(), format)})";
        }

        var loads = runs.SelectMany(r => r.Phases).Select(p => p.LoadAverage).ToList();
        Console.WriteLine();
        Console.WriteLine(MachineFacts.Line());
        Console.WriteLine($"Load average (1 min) at the end of the measured phases: {F(loads.Min(), "N1")}–{F(loads.Max(), "N1")}, median {F(Stats.Median(loads), "N1")}");
        Console.WriteLine($"{o.Profiles:N0} profiles (email indexed), {o.Concurrency} keep-alive clients, {o.Seconds} s per phase after {o.Warmup} s warm-up, " +
            $"{runs.Count} run(s) on fresh servers, REST first in odd runs and SOAP first in even ones; SOAP bodies gzip-compressed once each before the phase, " +
            "answers gzip; median (min–max) over runs");
        Console.WriteLine();
        Console.WriteLine("| Operation | API | ops/s | server CPU µs/op | p50 ms | p99 ms | client CPU µs/op |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var operation in new[] { SoapBench.Create, SoapBench.Search })
        {
            foreach (var api in new[] { "REST", "SOAP" })
            {
                var phases = runs.Select(r => r.Phase(operation, api)).ToList();
                Console.WriteLine($"| {operation} | {api} | {Spread(phases.Select(p => p.Rate), "N0")} | {Spread(phases.Select(p => p.ServerCpuUs), "N0")} | " +
                    $"{Spread(phases.Select(p => p.P50Ms), "N2")} | {Spread(phases.Select(p => p.P99Ms), "N2")} | {Spread(phases.Select(p => p.ClientCpuUs), "N0")} |");
            }

            var rate = runs.Select(r => r.Phase(operation, "SOAP").Rate / r.Phase(operation, "REST").Rate).ToList();
            var cpu = runs.Select(r => r.Phase(operation, "SOAP").ServerCpuUs / r.Phase(operation, "REST").ServerCpuUs).ToList();
            Console.WriteLine($"| {operation} | **SOAP / REST, same run** | **{Spread(rate, "N2")}** {(Stats.Median(rate) >= 0.5 ? "≥ 0.5 ✔" : "< 0.5 ✘")} | " +
                $"{Spread(cpu, "N2")} × | | | |");
        }

        Console.WriteLine();
        Console.WriteLine($"Failed or wrong answers: {runs.Sum(r => r.Failures)} (each answer checked: REST 201 with X-Created / 200 with total 1; SOAP 200, gzip, the method's Response, no Fault, a profile / total 1)");
        foreach (var run in runs)
        {
            Console.WriteLine($"Run {run.Number} ({(run.RestFirst ? "REST" : "SOAP")} first): " + string.Join("; ", run.Phases.Select(p =>
                $"{p.Operation} {p.Api} {F(p.Rate, "N0")}/s {F(p.ServerCpuUs, "N0")} µs load {F(p.LoadAverage, "N1")}")));
        }
    }
}
