using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Audit;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's audit log for every signed-in user, newest first, a page at a time, optionally of one kind of target:
/// read from the audit trail as <c>GET /v3/audit</c> reads it.
/// </summary>
internal sealed class AuditModel(AuditTrail audit, TimeProvider time) : PageModel
{
    public const string Path = DashboardPaths.Audit;
    public const int PageSize = 50;

    /// <summary>The filter's choices: value and label.</summary>
    public static readonly IReadOnlyList<(string Value, string Text)> Types =
    [
        ("", "All changes"), (AuditTargets.Webhook, "Webhooks"), (AuditTargets.Domain, "Domains"), (AuditTargets.WebhookSecret, "Webhook secrets"),
        (AuditTargets.Replay, "Replays and retries"), (AuditTargets.AccessToken, "Access tokens"), (AuditTargets.User, "Users"), (AuditTargets.Account, "Account"),
        (AuditTargets.Database, "Databases"), (AuditTargets.Collection, "Collections"),
    ];

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public long Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public string Type { get; private set; } = "";
    public DateTimeOffset Now { get; private set; }

    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => (long)PageNumber * PageSize < Total;

    // "page" is also Razor Pages' own route value (the page's name): the number is read from the query string only.
    public async Task OnGetAsync([FromQuery] string? type, [FromQuery(Name = "page")] int page = 1)
    {
        var account = DashboardClaims.Require(User).AccountId;
        // An unknown type is shown as all changes rather than refused: the filter is a form the user may have edited.
        Type = Types.Any(t => t.Value == type) ? type! : "";
        PageNumber = Math.Max(1, page);
        Now = time.GetUtcNow();
        (Entries, Total) = await audit.ListAsync(account, Type, (long)(PageNumber - 1) * PageSize, PageSize, HttpContext.RequestAborted);
    }

    /// <summary>The link to another page of the same filter.</summary>
    public string PageLink(int page) => Type.Length == 0 ? $"{Path}?page={page}" : $"{Path}?type={Uri.EscapeDataString(Type)}&page={page}";

    public static string ActorLabel(string kind) => kind switch
    {
        // A user signs in to the dashboard or logs in over SOAP; a token calls REST or SOAP.
        AuditActorKinds.User => "signed in",
        AuditActorKinds.Token => "API token",
        AuditActorKinds.CommandLine => "command line",
        _ => "system",
    };
}
