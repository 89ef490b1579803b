using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Rejections;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// A webhook's replays: start one (one event, every failed delivery, or every event of a time range, in UTC) and the
/// list of those made. A replay started leads to its own page, which shows its progress.
/// </summary>
internal sealed class WebhookReplaysModel(WebhookDeliveryService delivery, TimeProvider time) : PageModel
{
    public const int ListSize = 50;
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public string Id { get; private set; } = "";
    public string Handler { get; private set; } = "";
    public IReadOnlyList<ReplayRecord> Replays { get; private set; } = [];
    public long Total { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public bool CanEdit { get; private set; }

    [BindProperty(Name = "event")]
    public string? EventId { get; set; }

    [BindProperty(Name = "from")]
    public string? From { get; set; }

    [BindProperty(Name = "to")]
    public string? To { get; set; }

    public string? EventError { get; private set; }
    public string? FailedError { get; private set; }
    public string? FromError { get; private set; }
    public string? ToError { get; private set; }

    public Task OnGetAsync(long id) => LoadAsync(id);

    public async Task<IActionResult> OnPostEventAsync(long id)
    {
        if (string.IsNullOrWhiteSpace(EventId))
        {
            EventError = "Enter the id of the event to send again.";
            await LoadAsync(id);
            return Page();
        }

        return await StartAsync(id, new ReplayRequest(EventId: EventId.Trim()), e => EventError = e);
    }

    public Task<IActionResult> OnPostFailedAsync(long id) => StartAsync(id, new ReplayRequest(Failed: true), e => FailedError = e);

    public async Task<IActionResult> OnPostRangeAsync(long id)
    {
        var from = ParseUtc(From);
        var to = string.IsNullOrWhiteSpace(To) ? null : ParseUtc(To);
        if (from is null) FromError = "Enter when the range starts (UTC).";
        if (!string.IsNullOrWhiteSpace(To) && to is null) ToError = "Enter when the range ends (UTC), or leave it empty for now.";
        if (FromError is not null || ToError is not null)
        {
            await LoadAsync(id);
            return Page();
        }

        return await StartAsync(id, new ReplayRequest(FromMs: from, ToMs: to), e => ToError = e);
    }

    /// <summary>Starts the replay and goes to its page; a refusal is shown next to the form it came from, with what was typed.</summary>
    private async Task<IActionResult> StartAsync(long id, ReplayRequest request, Action<string> showError)
    {
        await LoadAsync(id);
        try
        {
            var webhook = await delivery.RequireWebhookAsync(DashboardClaims.Require(User).AccountId, Id, HttpContext.RequestAborted);
            var replay = await delivery.ReplayAsync(webhook, request, HttpContext.RequestAborted);
            return Redirect($"{WebhooksModel.Path}/{Id}/replays/{replay.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (RequestRejectedException ex)
        {
            showError(ex.Message.EndsWith('.') ? ex.Message : ex.Message + ".");
            return Page();
        }
    }

    /// <summary>A time the way a datetime-local field (or a person) writes it, read as UTC; null when it is not one.</summary>
    public static long? ParseUtc(string? text) =>
        DateTime.TryParseExact(text?.Trim(), LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds()
            : null;

    private async Task LoadAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        CanEdit = user.Role.CanEdit();
        Id = id.ToString(CultureInfo.InvariantCulture);
        var ct = HttpContext.RequestAborted;
        Handler = (await delivery.RequireWebhookAsync(user.AccountId, Id, ct)).Handler;
        (Replays, Total) = await delivery.ReplaysAsync(user.AccountId, Id, 0, ListSize, ct);
        Now = time.GetUtcNow();
    }

    public static string KindText(ReplayRecord r) => r.Kind switch
    {
        "event" => "one event",
        "delivery" => "one delivery (retry)",
        "failed" => "failed deliveries",
        "range" => $"{DashboardFormat.Time(r.RangeFrom, "?")} to {DashboardFormat.Time(r.RangeTo, "now")}",
        _ => r.Kind,
    };

    /// <summary>How much of the journal a replay has scanned, in percent (100 when there is nothing to scan).</summary>
    public static double ScanPercent(ReplayRecord r) => r.Total == 0 ? 100 : Math.Min(100, 100.0 * r.Scanned / r.Total);
}
