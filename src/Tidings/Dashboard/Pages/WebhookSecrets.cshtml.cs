using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Tidings.Rejections;
using Tidings.Users;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Secrets;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// A webhook's Standard Webhooks secrets (<see cref="WebhookSecretService"/>): those still signing, shown only by their
/// end, and a rotation whose new secret is shown once, on the answer to the post. Read-only users do not see secrets,
/// as reporting tokens do not over REST: whoever holds one can forge calls to the receiver.
/// </summary>
internal sealed class WebhookSecretsModel(WebhookService webhooks, WebhookSecretService secrets, IOptions<WebhookSecretsOptions> options, ILogger<WebhookSecretsModel> logger) : PageModel
{
    public WebhookRecord Webhook { get; private set; } = null!;
    public WebhookSecrets? Secrets { get; private set; }
    public bool CanEdit { get; private set; }
    public long DefaultGraceSeconds => options.Value.DefaultGraceSeconds;
    public long MaxGraceSeconds => options.Value.MaxGraceSeconds;

    [BindProperty(Name = "kind")]
    public string? Kind { get; set; }

    [BindProperty(Name = "grace")]
    public string? Grace { get; set; }

    /// <summary>The secret just made, shown this once.</summary>
    public StoredWebhookSecret? Created { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        await ReadAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        await ReadAsync(id);
        var user = DashboardClaims.Require(User);
        try
        {
            Created = await secrets.RotateAsync(Webhook, new JsonObject { ["kind"] = Kind ?? "", ["grace"] = Grace ?? "" }, HttpContext.RequestAborted);
            DashboardLog.SecretRotated(logger, Created.Kind, Webhook.Id, user.AccountId, user.Id);
            Kind = null;
            Grace = null;
        }
        catch (RequestRejectedException ex)
        {
            Error = DashboardText.Sentence(ex.Message);
        }

        await ReadAsync(id);
        return Page();
    }

    private async Task ReadAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        var text = id.ToString(CultureInfo.InvariantCulture);
        Webhook = await webhooks.RequireAsync(user.AccountId, text, HttpContext.RequestAborted);
        CanEdit = user.Role.CanEdit();
        Secrets = CanEdit ? await secrets.ListAsync(user.AccountId, text, callerMayWrite: true, HttpContext.RequestAborted) : null;
    }

    /// <summary>A stored secret by its prefix and last characters: enough to tell two apart, too little to sign with.</summary>
    public static string Masked(string secret)
    {
        var underscore = secret.IndexOf('_', StringComparison.Ordinal);
        return underscore < 0 || secret.Length < underscore + 9 ? "…" : secret[..(underscore + 1)] + "…" + secret[^4..];
    }

    public static string Seconds(long seconds) => seconds % 3600 == 0
        ? DashboardFormat.Number(seconds / 3600) + (seconds == 3600 ? " hour" : " hours")
        : DashboardFormat.Number(seconds) + " seconds";
}
