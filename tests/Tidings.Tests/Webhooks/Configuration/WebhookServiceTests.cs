using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Configuration;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>
/// <see cref="WebhookService"/> called directly, as the REST API, a SOAP API or the dashboard call it: the rules live
/// in the service, with the texts the REST API answers with.
/// </summary>
public sealed class WebhookServiceTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    internal const string NotUnderAValidatedDomain =
        "The handler's host 'hooks.example.com' is not under a validated domain of this account; nothing is sent until a domain it lies under (POST domains) is validated";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebhookService Webhooks => app.Services.GetRequiredService<WebhookService>();

    /// <summary>A new account with a webhook whose handler lies under no validated domain.</summary>
    internal static async Task<(long Account, long Webhook)> NewWebhookAsync(TidingsApp app)
    {
        var client = await app.NewAccountAsync();
        var id = await app.Services.GetRequiredService<WebhookService>().CreateAsync(
            client.AccountId, new JsonObject { ["handler"] = "https://hooks.example.com/in", ["trigger"] = "open" }, Ct);
        return (client.AccountId, id);
    }

    private Task<(long Account, long Webhook)> NewWebhookAsync() => NewWebhookAsync(app);

    [Fact]
    public async Task A_webhook_whose_handler_is_not_under_a_validated_domain_says_so()
    {
        var (account, id) = await NewWebhookAsync();

        var webhook = await Webhooks.GetAsync(account, Id(id), Ct);

        webhook.Validated.ShouldBeFalse();
        webhook.ValidationError.ShouldBe(NotUnderAValidatedDomain);
    }

    [Fact]
    public async Task A_handler_on_an_IP_address_is_rejected_and_nothing_is_stored()
    {
        var client = await app.NewAccountAsync();

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() =>
            Webhooks.CreateAsync(client.AccountId, new JsonObject { ["handler"] = "http://10.1.2.3/hook", ["trigger"] = "open" }, Ct));

        rejected.Message.ShouldBe("The handler's host '10.1.2.3' is an IP address, which can never be validated: use a host name under a domain of the account (POST domains)");
        (await Webhooks.ListAsync(client.AccountId, 0, 100, Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task A_webhook_of_another_account_is_answered_as_a_missing_one()
    {
        var (_, id) = await NewWebhookAsync();
        var other = await app.NewAccountAsync();

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() => Webhooks.GetAsync(other.AccountId, Id(id), Ct));

        rejected.Message.ShouldBe(WebhookInput.NoWebhook);
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
