using Tidings.Hosting;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Accounts;

public static class AccountsFeature
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<ICallerLookup>(sp => sp.GetRequiredService<AccountStore>());
        builder.Services.AddHostedService<FirstStartAccount>();
        builder.Services.AddAdminVerbs<AccountAdminVerbs>();
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var api = app.MapCopernicaGroup().WithTags("Account");
        api.MapGet("/identity", async (HttpContext http, AccountStore accounts) =>
        {
            var account = await accounts.FindAccountAsync(http.Caller().AccountId, http.RequestAborted) ?? throw new RequestRejectedException(CopernicaErrors.InvalidAccessToken);
            var id = account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return CopernicaJson.Write(w =>
            {
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
            });
        }).WithSummary("The account the access token belongs to");
        AccountNotices.Map(api);
        return app;
    }
}
