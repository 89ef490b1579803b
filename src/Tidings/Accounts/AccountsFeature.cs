using Tidings.Hosting;
using Tidings.Rest;

namespace Tidings.Accounts;

internal static class AccountsFeature
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<ICallerLookup>(sp => sp.GetRequiredService<AccountStore>());
        builder.Services.AddHostedService<FirstStartAccount>();
        builder.Services.AddAdminVerbs<AccountAdminVerbs>();
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var api = app.MapCopernicaGroup().WithTags("Account");
        AccountEndpoints.Map(api);
        return app;
    }
}
