using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Tidings.Webhooks.Development;

/// <summary>
/// A webhook receiver on 127.0.0.1 for trying webhooks on one machine: it serves the verification files of the
/// server's webhooks that point at it, answers every POST with 200, and writes each call (method, path, main headers,
/// the start of the body) with its signatures checked. It reads the server's storage on every request.
/// </summary>
internal sealed class LocalReceiver : IAsyncDisposable
{
    private const int BodyExcerptChars = 400;

    private static readonly string[] ShownHeaders =
        ["User-Agent", "Content-Type", "Content-Length", "Date", "X-Copernica-ID", "Digest", "webhook-id", "webhook-timestamp"];

    private readonly WebApplication _app;
    private readonly ReceiverTargets _targets;
    private readonly SignatureChecks _checks;
    private readonly TimeProvider _time;
    private readonly TextWriter _output;
    private int _port;

    private LocalReceiver(WebApplication app, IServiceProvider services, TextWriter output)
    {
        _app = app;
        _output = output;
        _time = services.GetRequiredService<TimeProvider>();
        _targets = ActivatorUtilities.CreateInstance<ReceiverTargets>(services);
        _checks = ActivatorUtilities.CreateInstance<SignatureChecks>(services);
    }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:9000/</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0: a free port) with the server's <paramref name="services"/>.</summary>
    public static async Task<LocalReceiver> StartAsync(IServiceProvider services, int port, TextWriter output, CancellationToken ct)
    {
        // An empty builder: none of the server's configuration, logging or signal handling (the caller stops it).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton<IHostLifetime, CallerStopsLifetime>();
        var app = builder.Build();
        var receiver = new LocalReceiver(app, services, output);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver._port = new Uri(address).Port;
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var ct = http.RequestAborted;
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"{_time.GetLocalNow():HH:mm:ss} {request.Method} {request.Path}{request.QueryString}");
        try
        {
            var targets = await _targets.PointingAtAsync(_port, ct);
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            {
                await ServeFileAsync(http, targets, report);
            }
            else if (HttpMethods.IsPost(request.Method))
            {
                await ReceiveAsync(http, targets, report);
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                report.Append(" → 405 (only POST, and GET for verification files)");
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            report.AppendLine().Append(CultureInfo.InvariantCulture, $"    error: {ex.GetType().Name}: {ex.Message}");
        }

        Write(report.AppendLine().ToString());
    }

    private async Task ServeFileAsync(HttpContext http, IReadOnlyList<ReceiverTarget> targets, StringBuilder report)
    {
        if (await _targets.FileAtAsync(http.Request.Path.Value ?? "/", targets, http.RequestAborted) is not { } file)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            report.Append(" → 404 (not a verification file of a webhook pointing here)");
            return;
        }

        report.Append(CultureInfo.InvariantCulture, $" → 200, the verification file of {file.Claim.Domain} (account {file.Claim.AccountId})");
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(file.Claim.FileContent, http.RequestAborted);
    }

    private async Task ReceiveAsync(HttpContext http, IReadOnlyList<ReceiverTarget> targets, StringBuilder report)
    {
        var request = http.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var rawTarget = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;

        var path = request.Path.Value ?? "/";
        var here = targets.Where(t => string.Equals(Uri.UnescapeDataString(t.Handler.AbsolutePath), path, StringComparison.Ordinal)).ToList();
        report.Append(" → 200");
        report.Append(here.Count == 0
            ? ", no webhook of this server has this handler"
            : ", " + string.Join(", ", here.Select(t => $"webhook {t.Webhook.Id} of account {t.Webhook.AccountId}")));
        report.AppendLine();
        foreach (var name in ShownHeaders)
        {
            if (headers.TryGetValue(name, out var value)) report.Append(CultureInfo.InvariantCulture, $"    {name}: {value}").AppendLine();
        }

        report.Append(CultureInfo.InvariantCulture, $"    body ({body.Length} bytes): {Excerpt(body)}").AppendLine();
        var webhooks = (here.Count > 0 ? here : targets).Select(t => t.Webhook).ToList();
        var verdicts = await _checks.CheckAsync(new IncomingCall(request.Method, rawTarget, headers, body), webhooks, http.RequestAborted);
        if (verdicts.Count == 0) report.Append("    not signed");
        report.AppendJoin(Environment.NewLine, verdicts.Select(v => "    " + v));

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync("OK\n", http.RequestAborted);
    }

    /// <summary>The start of the body as text, control characters shown as <c>·</c>.</summary>
    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, BodyExcerptChars * 4));
        var cut = text.Length > BodyExcerptChars;
        var shown = new string(text.Take(BodyExcerptChars).Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return cut || body.Length > BodyExcerptChars * 4 ? shown + "…" : shown;
    }

    private void Write(string text)
    {
        lock (_output)
        {
            _output.Write(text);
            _output.Flush();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>No Ctrl+C handling of its own: the receive command (or a test) decides when to stop.</summary>
    private sealed class CallerStopsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
