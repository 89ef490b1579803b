using System.Globalization;
using Tidings.Rest;

namespace Tidings.Accounts;

/// <summary>REST v3: the account of the access token, and its notices.</summary>
internal static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/identity", async (HttpContext http, AccountService accounts) =>
        {
            var account = await accounts.IdentityAsync(http.Caller().AccountId, http.RequestAborted);
            return CopernicaJson.Write(w => Identity(w, account));
        }).WithSummary("The account the access token belongs to");

        api.MapGet("/notices", async (HttpContext http, AccountService accounts, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await accounts.NoticesAsync(http.Caller().AccountId, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, n) =>
            {
                w.WriteStartObject();
                w.WriteString("ID", n.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("kind", n.Kind);
                if (n.SubjectId is { } subject) w.WriteString("subject", subject.ToString(CultureInfo.InvariantCulture)); else w.WriteNull("subject");
                w.WriteString("message", n.Message);
                w.WriteString("created", time.FormatMs(n.Created));
                w.WriteEndObject();
            });
        }).WithSummary("What the server wants the account to know (e.g. a webhook it disabled), newest first");
    }

    private static void Identity(System.Text.Json.Utf8JsonWriter w, Account account)
    {
        var id = account.Id.ToString(CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("name", account.Name);
        w.WriteString("description", account.Description);
        w.WriteString("company", account.Company);
        w.WriteStartObject("customer");
        w.WriteString("id", id);
        w.WriteString("name", account.Company.Length > 0 ? account.Company : account.Name);
        w.WriteBoolean("isPartner", false);
        w.WriteEndObject();
        w.WriteStartArray("usedBy");
        w.WriteEndArray();
        w.WriteStartObject("license");
        w.WriteString("id", id);
        w.WriteBoolean("isTrial", false);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
