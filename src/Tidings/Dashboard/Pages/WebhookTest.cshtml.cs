using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Rejections;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// "Test webhook": a call made at once, outside the queue and signed like a real one, with post data the user may edit
/// (prefilled with the sample event of the chosen type); the answer shows the whole request and the whole response.
/// The answer to the post is the page itself: a result is what happened, not something to go back to.
/// </summary>
internal sealed class WebhookTestModel(WebhookDeliveryService delivery) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string NotJson = "The post data is not valid JSON";
    public const string NotAnObject = "The post data must be a JSON object of fields, e.g. {\"type\": \"open\"}.";

    public WebhookRecord Webhook { get; private set; } = null!;
    public string Id => Webhook.Id.ToString(CultureInfo.InvariantCulture);

    [BindProperty(Name = "type", SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(Name = "data")]
    public string? Data { get; set; }

    public string? TypeError { get; private set; }
    public string? DataError { get; private set; }
    public string? Error { get; private set; }
    public WebhookTestResult? Result { get; private set; }

    public bool CanEdit { get; private set; }

    public static IReadOnlyList<string> Types => WebhookTriggers.All;

    public async Task OnGetAsync(long id)
    {
        await LoadAsync(id);
        Data = SampleOf(Type!);
    }

    public async Task OnPostAsync(long id)
    {
        await LoadAsync(id);
        if (TypeError is not null) return;
        JsonNode? data = null;
        if (!string.IsNullOrWhiteSpace(Data))
        {
            try { data = JsonNode.Parse(Data); }
            catch (JsonException ex)
            {
                DataError = $"{NotJson}: {ex.Message}";
                return;
            }

            if (data is not JsonObject)
            {
                DataError = NotAnObject;
                return;
            }
        }

        try
        {
            Result = await delivery.TestAsync(Webhook, Type, data, HttpContext.RequestAborted);
        }
        catch (RequestRejectedException ex)
        {
            Error = ex.Message;
        }
    }

    /// <summary>The webhook (another account's: a rejection, so a 404), the user's rights, and a known type (or the webhook's first).</summary>
    private async Task LoadAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        CanEdit = user.Role.CanEdit();
        Webhook = await delivery.RequireWebhookAsync(user.AccountId, id.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);
        if (string.IsNullOrEmpty(Type))
        {
            Type = WebhookTester.DefaultType(Webhook);
        }
        else if (!Types.Contains(Type))
        {
            TypeError = $"Unknown webhook type '{Type}'. Choose one of the list.";
            Type = WebhookTester.DefaultType(Webhook);
        }
    }

    private string SampleOf(string type) => delivery.SampleData(Webhook, type).ToJsonString(Indented);
}
