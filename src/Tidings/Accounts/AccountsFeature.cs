using Microsoft.Extensions.Options;
using Tidings.Rest;

namespace Tidings.Accounts;

public static class AccountsFeature
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section);
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddHostedService<DefaultAccountOnFirstStart>();
        builder.Services.AddAdminVerbs<AccountAdminVerbs>();
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var api = app.MapCopernicaGroup().WithTags("Account");
        api.MapGet("/identity", async (HttpContext http, AccountStore accounts) =>
        {
            var account = await accounts.FindAccountAsync(http.Caller().AccountId, http.RequestAborted) ?? throw new RestException(CopernicaErrors.InvalidAccessToken);
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

    /// <summary>On the very first start (no accounts yet) creates an account and prints its token, once.</summary>
    private sealed class DefaultAccountOnFirstStart(AccountStore accounts, IOptions<AccountsOptions> options, ILogger<DefaultAccountOnFirstStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.CreateDefaultAccount || await accounts.CountAccountsAsync(cancellationToken) > 0) return;
            var account = await accounts.CreateAccountAsync(options.Value.DefaultAccountName, ct: cancellationToken);
            var token = await accounts.CreateTokenAsync(account.Id, "default", canWrite: true, cancellationToken);
            logger.LogInformation("Created account {AccountId} ({Name}) on first start", account.Id, account.Name);
            Console.WriteLine();
            Console.WriteLine($"  Account {account.Id} \"{account.Name}\" created. Its read-write access token (shown only now):");
            Console.WriteLine();
            Console.WriteLine($"    {token.Token}");
            Console.WriteLine();
            Console.WriteLine($"  Try: curl 'http://127.0.0.1:5080/v3/identity?access_token={token.Token}'");
            Console.WriteLine();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
