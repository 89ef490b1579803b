using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Tidings.Bench;

/// <summary>One timed phase: one operation over one API, at the run's concurrency, for the run's duration.</summary>
public sealed record PhaseResult(string Operation, string Api, long Completed, long Failed, double Rate, double ServerCpuUs, double ClientCpuUs, double P50Ms, double P99Ms, double LoadAverage);

public sealed record SoapRun(int Number, bool RestFirst, TimeSpan Setup, IReadOnlyList<PhaseResult> Phases)
{
    public long Failures => Phases.Sum(p => p.Failed);

    public PhaseResult Phase(string operation, string api) => Phases.Single(p => p.Operation == operation && p.Api == api);
}

/// <summary>
/// Starts the Release server on a fresh SQLite file, makes a database of five fields (email indexed) and N profiles
/// through REST, then times profile create and profile search by email over REST and over SOAP: the same
/// <see cref="HttpClient"/>, the same concurrency and duration, REST and SOAP alternating which goes first.
/// </summary>
public static class SoapBench
{
    public const string Create = "create";
    public const string Search = "search by email";
    private const int SearchPool = 2_000;

    public static async Task<SoapRun> RunAsync(string serverDll, SoapBenchOptions o, int number)
    {
        var setup = Stopwatch.StartNew();
        using var server = await ServerProcess.StartAsync(serverDll, CancellationToken.None);
        // One client for both APIs: keep-alive connections, no proxy, no automatic decompression (the checks below
        // decompress SOAP answers themselves, so REST requests carry no Accept-Encoding of the handler's).
        using var client = server.NewClient(o.Concurrency);
        var token = server.Token;

        var database = await RestCreate.PostAsync(client, $"v3/databases?access_token={token}", """{"name":"Bench"}""");
        foreach (var field in new[]
        {
            """{"name":"email","type":"email","index":true}""", """{"name":"firstname","type":"text"}""", """{"name":"lastname","type":"text"}""",
            """{"name":"city","type":"text"}""", """{"name":"age","type":"integer"}""",
        })
        {
            await RestCreate.PostAsync(client, $"v3/database/{database}/fields?access_token={token}", field);
        }

        Console.Error.WriteLine($"  creating {o.Profiles:N0} profiles through REST…");
        var profilesPath = $"v3/database/{database}/profiles?access_token={token}";
        var made = await Load.CountAsync(32, o.Profiles, async n =>
        {
            using var content = Json(Bodies.RestCreate(Bodies.Fields("user", (int)n)));
            using var response = await client.PostAsync(profilesPath, content);
            return response.StatusCode == HttpStatusCode.Created;
        });
        if (made.Failed > 0) throw new InvalidOperationException($"{made.Failed} of the setup's profile creates failed");

        // Every body of the timed phases, made now: creates cycle through a pool of distinct bodies, searches through
        // SearchPool distinct pre-created emails; each SOAP body gzip-compressed once.
        var random = new Random(number);
        var restCreates = Enumerable.Range(0, o.Pool).Select(i => Bodies.RestCreate(Bodies.Fields($"rest-{number}-", i))).ToArray();
        var soapCreates = Enumerable.Range(0, o.Pool).Select(i => Bodies.SoapCreate(database, Bodies.Fields($"soap-{number}-", i), token)).ToArray();
        var emails = Enumerable.Range(0, SearchPool).Select(_ => Bodies.SearchedEmail(random.Next(o.Profiles))).ToArray();
        var restSearches = emails.Select(e => $"v3/database/{database}/profiles?fields%5B%5D={Uri.EscapeDataString("email==" + e)}&access_token={token}").ToArray();
        var soapSearches = emails.Select(e => Bodies.SoapSearch(database, e, token)).ToArray();

        var calls = new Dictionary<(string, string), Func<long, Task<string?>>>
        {
            [(Create, "REST")] = async n =>
            {
                using var content = Json(restCreates[n % restCreates.Length]);
                using var response = await client.PostAsync(profilesPath, content);
                var body = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.Created && response.Headers.Contains("X-Created") ? null : Wrong(response, body);
            },
            [(Create, "SOAP")] = n => SoapAsync(client, "Database_createProfile", soapCreates[n % soapCreates.Length], "<profile><id>"),
            [(Search, "REST")] = async n =>
            {
                using var response = await client.GetAsync(restSearches[n % restSearches.Length]);
                var body = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.OK && body.Contains("\"count\":1,", StringComparison.Ordinal) && (body.Contains("\"total\":1}", StringComparison.Ordinal) || body.Contains("\"total\":1,", StringComparison.Ordinal)) && body.Contains("\"email\":\"user", StringComparison.Ordinal)
                    ? null : Wrong(response, body);
            },
            [(Search, "SOAP")] = n => SoapAsync(client, "Database_searchProfiles", soapSearches[n % soapSearches.Length], "<total>1</total>"),
        };
        setup.Stop();
        Console.Error.WriteLine($"  setup {setup.Elapsed.TotalSeconds:N1} s; warm-up {o.Warmup} s per phase");
        foreach (var call in calls.Values) await Load.ForDurationAsync(o.Concurrency, TimeSpan.FromSeconds(o.Warmup), async n => await call(n) is null);

        var restFirst = number % 2 == 1;
        string[] order = restFirst ? ["REST", "SOAP"] : ["SOAP", "REST"];
        var phases = new List<PhaseResult>();
        foreach (var operation in new[] { Create, Search })
        {
            foreach (var api in order)
            {
                phases.Add(await MeasureAsync(server, o, operation, api, calls[(operation, api)]));
                var p = phases[^1];
                Console.Error.WriteLine($"  {operation,-16} {api}: {p.Rate,8:N0}/s, server {p.ServerCpuUs:N0} µs/op, p50 {p.P50Ms:N2} ms, p99 {p.P99Ms:N2} ms, failed {p.Failed}, load {p.LoadAverage:N1}");
            }
        }

        return new SoapRun(number, restFirst, setup.Elapsed, phases);
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>
    /// A SOAP call as PHP's SoapClient with <c>SOAP_COMPRESSION_GZIP</c> sends it: the compressed envelope with
    /// <c>Content-Encoding: gzip</c>, <c>SOAPAction</c>, <c>Accept-Encoding: gzip</c>. It counts when the answer is
    /// 200, gzip, no Fault and holds <paramref name="expected"/>.
    /// </summary>
    private static async Task<string?> SoapAsync(HttpClient client, string method, byte[] gzippedEnvelope, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        request.Content = new ByteArrayContent(gzippedEnvelope);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"urn:api#{method}\"");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate");
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        string xml;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            xml = await reader.ReadToEndAsync();
        }
        catch (InvalidDataException)
        {
            return Wrong(response, "not gzip: " + Encoding.UTF8.GetString(bytes));
        }

        return response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentEncoding.Contains("gzip") &&
            xml.Contains($"{method}Response>", StringComparison.Ordinal) && xml.Contains(expected, StringComparison.Ordinal) && !xml.Contains(":Fault>", StringComparison.Ordinal)
            ? null : Wrong(response, xml);
    }

    private static string Wrong(HttpResponseMessage response, string body) => $"{(int)response.StatusCode}: {(body.Length > 300 ? body[..300] + "…" : body)}";

    private static async Task<PhaseResult> MeasureAsync(ServerProcess server, SoapBenchOptions o, string operation, string api, Func<long, Task<string?>> call)
    {
        var latencies = new List<double>(1 << 16);
        var failed = 0L;
        async Task<bool> Timed(long n)
        {
            var started = Stopwatch.GetTimestamp();
            string? wrong;
            try
            {
                wrong = await call(n);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                wrong = ex.Message;
            }

            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (latencies) latencies.Add(ms);
            if (wrong is not null && Interlocked.Increment(ref failed) <= 3) Console.Error.WriteLine($"  {operation} over {api}, a wrong answer: {wrong}");
            return wrong is null;
        }

        var self = Process.GetCurrentProcess();
        var clientCpu = self.TotalProcessorTime;
        var serverCpu = server.CpuTime();
        var result = await Load.ForDurationAsync(o.Concurrency, TimeSpan.FromSeconds(o.Seconds), Timed);
        var requests = Math.Max(1, result.Completed + result.Failed);
        var serverUs = (server.CpuTime() - serverCpu).TotalMicroseconds / requests;
        self.Refresh();
        var clientUs = (self.TotalProcessorTime - clientCpu).TotalMicroseconds / requests;
        return new PhaseResult(operation, api, result.Completed, result.Failed, result.Overall, serverUs, clientUs,
            Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), LoadAverage());
    }

    /// <summary>The one-minute load average, quoted with the figures since the machine is shared.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
}
