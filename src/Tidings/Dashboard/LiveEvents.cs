using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Tidings.Hosting;
using Tidings.Statistics;

namespace Tidings.Dashboard;

/// <summary>
/// The home page's live chart: a server-sent event stream of the signed-in account's events per second. On connect it
/// sends the last minute, then every second the second just ended (<c>data: {"second":…,"events":…}</c>). The counts
/// come from the statistics consumer's in-memory tally (<see cref="StatisticsService.LiveCount"/>): no query per client
/// per second. The response is exempt from Kestrel's minimum response data rate (a few bytes a second would trip it)
/// and from request timeouts (its writes are still bounded: a client that takes nothing for
/// <c>Server:ResponseWriteTimeout</c> is cut off by <see cref="StalledResponses"/>), and ends when the client leaves or the
/// server stops.
/// </summary>
internal static class LiveEvents
{
    public const string Path = DashboardPaths.Root + "/live/events";

    /// <summary>Seconds of history sent on connect (within what <see cref="EventRates"/> keeps).</summary>
    public const int History = 60;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, StreamAsync)
            .RequireAuthorization(DashboardFeature.SignedInPolicy)
            .DisableRequestTimeout()
            .ExcludeFromDescription();

    private static async Task StreamAsync(HttpContext context, StatisticsService statistics, IHostApplicationLifetime lifetime, TimeProvider time, StalledResponses stalls)
    {
        var account = DashboardClaims.Require(context.User).AccountId;
        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate) rate.MinDataRate = null;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy (nginx) passes each message on at once

        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var next = statistics.LiveSecond;
        var text = new StringBuilder("retry: 5000\n\n");
        using var watch = stalls.Watch(context, "Live chart stream");
        try
        {
            Append(text, statistics, account, next - History, next);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            do
            {
                var now = statistics.LiveSecond;
                Append(text, statistics, account, Math.Max(next, now - History), now);
                next = Math.Max(next, now);
                if (text.Length == 0) continue;
                await response.WriteAsync(text.ToString(), end.Token);
                await response.Body.FlushAsync(end.Token);
                watch.Progress();
                text.Clear();
            }
            while (await timer.WaitForNextTickAsync(end.Token));
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client left, or the server stops: the stream ends.
        }
        catch (Exception) when (watch.CutOff)
        {
            // The client took nothing for the write timeout (logged then): the connection is closed.
        }
    }

    /// <summary>Adds a message per whole second from <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    private static void Append(StringBuilder text, StatisticsService statistics, long account, long from, long to)
    {
        for (var second = from; second < to; second++)
        {
            text.Append(CultureInfo.InvariantCulture, $"data: {{\"second\":{second},\"events\":{statistics.LiveCount(account, second)}}}\n\n");
        }
    }
}
