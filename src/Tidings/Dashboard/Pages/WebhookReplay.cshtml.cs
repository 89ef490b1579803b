using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One replay and how far it has got: the journal scanned (range replays scan in steps) and its deliveries sent. The
/// page shows the state of when it was loaded (a Refresh link reloads it); <c>replay-progress.js</c> keeps the bars
/// moving by polling <c>…/progress</c> (<see cref="WebhookReplayProgressModel"/>), a JSON answer scoped like the page.
/// </summary>
internal sealed class WebhookReplayModel(WebhookDeliveryService delivery, TimeProvider time) : PageModel
{
    public string Id { get; private set; } = "";
    public string Handler { get; private set; } = "";
    public ReplayRecord Replay { get; private set; } = null!;
    public ReplayProgress Progress { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public string ProgressUrl => $"{WebhooksModel.Path}/{Id}/replays/{Replay.Id.ToString(CultureInfo.InvariantCulture)}/progress";

    public async Task OnGetAsync(long id, long replay)
    {
        var account = DashboardClaims.Require(User).AccountId;
        Id = id.ToString(CultureInfo.InvariantCulture);
        Handler = (await delivery.RequireWebhookAsync(account, Id, HttpContext.RequestAborted)).Handler;
        (Replay, Progress) = await delivery.GetReplayAsync(account, Id, replay.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);
        Now = time.GetUtcNow();
    }
}

/// <summary>A replay's progress in numbers the page and its script show alike.</summary>
internal sealed record ReplayView(int ScanPercent, int SentPercent, bool Finished, string Text)
{
    public static ReplayView Of(ReplayRecord r, ReplayProgress p)
    {
        var scan = r.Total == 0 ? 100 : (int)Math.Floor(Math.Min(100, 100.0 * r.Scanned / r.Total));
        var settled = p.Delivered + p.Failed;
        var scanning = r.Status == "running";
        var sent = r.Queued == 0 ? (scanning ? 0 : 100) : (int)Math.Floor(Math.Min(100, 100.0 * settled / Math.Max(r.Queued, settled + p.Pending)));
        var finished = !scanning && p.Pending == 0;
        if (finished) sent = 100;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{DashboardFormat.Number(p.Delivered)} delivered, {DashboardFormat.Number(p.Failed)} failed, {DashboardFormat.Number(p.Pending)} pending of {DashboardFormat.Number(r.Queued)} queued");
        return new ReplayView(scan, sent, finished, text);
    }
}
