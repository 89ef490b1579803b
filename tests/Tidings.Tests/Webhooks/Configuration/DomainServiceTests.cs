using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Secrets;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary><see cref="DomainService"/> and <see cref="WebhookSecretService"/> called directly, as every front end calls them.</summary>
public sealed class DomainServiceTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DomainService Domains => app.Services.GetRequiredService<DomainService>();

    [Fact]
    public async Task A_claim_with_an_unknown_validate_value_is_rejected_before_anything_is_claimed()
    {
        var client = await app.NewAccountAsync();

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() =>
            Domains.ClaimAsync(client.AccountId, new JsonObject { ["domain"] = "example.com", ["validate"] = "maybe" }, Ct));

        rejected.Message.ShouldBe("Unknown validate value 'maybe' (expected dns, file or true)");
        (await Domains.ListAsync(client.AccountId, 0, 100, Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task A_claim_without_validate_is_kept_unvalidated_with_its_challenge()
    {
        var client = await app.NewAccountAsync();

        var (id, validation) = await Domains.ClaimAsync(client.AccountId, new JsonObject { ["domain"] = "Example.COM" }, Ct);

        validation.ShouldBeNull();
        var claim = await Domains.RequireAsync(client.AccountId, id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);
        claim.Domain.ShouldBe("example.com");
        claim.ValidatedAt.ShouldBeNull();
        claim.TxtName.ShouldBe("_tidings-challenge.example.com");
    }

    [Fact]
    public async Task A_caller_that_may_only_read_is_refused_a_webhooks_secrets()
    {
        var (account, webhook) = await WebhookServiceTests.NewWebhookAsync(app);
        var secrets = app.Services.GetRequiredService<WebhookSecretService>();
        var id = webhook.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() => secrets.ListAsync(account, id, callerMayWrite: false, Ct));

        rejected.Message.ShouldBe(CopernicaErrors.ReadOnlyToken);
        (await secrets.ListAsync(account, id, callerMayWrite: true, Ct)).Secrets.ShouldHaveSingleItem().Kind.ShouldBe(WebhookSecretKinds.Hmac);
    }
}
