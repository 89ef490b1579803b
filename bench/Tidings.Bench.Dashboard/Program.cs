using System.Globalization;
using Tidings.Bench;

// Benchmark of dashboard page render times: see docs/benchmarks.md ("Dashboard page render").
var options = DashboardBenchOptions.Parse(args);
if (options is null) return 2;

var serverDll = options.Server ?? ServerProcess.LocateServer(options.Build);
var runs = new List<DashboardRun>();
for (var run = 1; run <= options.Runs; run++)
{
    Console.Error.WriteLine($"Run {run} of {options.Runs}");
    runs.Add(await DashboardBench.RunAsync(serverDll, options));
}

DashboardBench.PrintReport(options, runs);
return runs.Any(r => r.Failures > 0) ? 1 : 0;

public sealed record DashboardBenchOptions(int Profiles, int Webhooks, int Requests, int Warmup, int Runs, bool Build, string? Server)
{
    public static DashboardBenchOptions? Parse(string[] args)
    {
        var o = new DashboardBenchOptions(100_000, 50, 200, 20, 3, true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value after " + args[i]);
            switch (args[i])
            {
                case "--profiles": o = o with { Profiles = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--webhooks": o = o with { Webhooks = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--requests": o = o with { Requests = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--warmup": o = o with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--runs": o = o with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--no-build": o = o with { Build = false }; break;
                case "--server": o = o with { Server = Path.GetFullPath(Next()) }; break;
                default:
                    Console.Error.WriteLine("""
                        Usage: Tidings.Bench.Dashboard [--profiles N] [--webhooks W] [--requests R] [--warmup U] [--runs K] [--no-build] [--server DLL]
                          --profiles N   profiles in the database searched (default 100000)
                          --webhooks W   webhooks of the account, a few of them linked to the database (default 50)
                          --requests R   measured requests per page, one at a time (default 200)
                          --warmup U     requests per page before measuring, not counted (default 20)
                          --runs K       repetitions, each on a fresh server and database; figures are medians (default 3)
                          --no-build     use the existing Release build of the server
                          --server DLL   run this Tidings.dll instead (for example a copy of an older build)
                        """);
                    return null;
            }
        }

        return o;
    }
}
