using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using Tidings.Webhooks.Secrets;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Dashboard;

/// <summary>A webhook's secrets (listed by their end only, a rotated one shown once) and the server's signing keys, read-only.</summary>
public sealed class DashboardSecretsTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(DashboardBrowser Browser, User User, ApiClient Api)> SignedInAsync()
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor, "Secrets");
        await app.ValidateTestDomainAsync(user.AccountId);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        return (browser, user, api);
    }

    private Task<WebhookSecrets> SecretsAsync(long accountId, long id) =>
        app.Services.GetRequiredService<WebhookSecretService>().ListAsync(accountId, id.ToString(System.Globalization.CultureInfo.InvariantCulture), true, Ct);

    [Fact]
    public async Task Secrets_are_listed_by_their_end_only_and_a_rotated_one_is_shown_once()
    {
        var (browser, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/signed"), new { trigger = "open", signing = "standard" });
        var path = $"/dashboard/webhooks/{id}/secrets";

        var page = await browser.PageAsync(path);
        var first = (await SecretsAsync(user.AccountId, id)).Secrets.Single();
        page.QuerySelector("table.secrets tbody td code")!.TextContent.ShouldBe("whsec_…" + first.Secret[^4..]);
        page.Source.Text.ShouldNotContain(first.Secret);

        var rotated = await browser.SubmitAsync(path, "Rotate secret", new Dictionary<string, string> { ["kind"] = "hmac", ["grace"] = "60" });

        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await DashboardBrowser.ParseAsync(rotated);
        var now = (await SecretsAsync(user.AccountId, id)).Secrets;
        var current = now.Single(s => s.IsCurrent);
        current.Secret.ShouldNotBe(first.Secret);
        answer.QuerySelector(".secret code")!.TextContent.ShouldBe(current.Secret);
        now.Single(s => !s.IsCurrent).Expires!.Value.ShouldBeInRange(current.Created + 55_000, current.Created + 65_000);
        answer.QuerySelectorAll("table.secrets tbody tr").Length.ShouldBe(2);

        var again = await browser.PageAsync(path);
        again.Source.Text.Contains(current.Secret, StringComparison.Ordinal).ShouldBeFalse("shown once");
        again.QuerySelector(".secret").ShouldBeNull();
    }

    [Fact]
    public async Task A_rotated_ed25519_key_shows_its_public_key_and_a_refused_grace_says_why()
    {
        var (browser, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/ed"), new { trigger = "open", signing = "both" });
        var path = $"/dashboard/webhooks/{id}/secrets";

        var refused = await DashboardBrowser.ParseAsync(await browser.SubmitAsync(path, "Rotate secret", new Dictionary<string, string> { ["kind"] = "hmac", ["grace"] = "-1" }));
        refused.QuerySelector("#rotate-error")!.TextContent.ShouldBe("grace must be a whole number of seconds from 0 to 604800.");
        ((AngleSharp.Html.Dom.IHtmlInputElement)refused.QuerySelector("#grace")!).Value.ShouldBe("-1");

        var answer = await DashboardBrowser.ParseAsync(await browser.SubmitAsync(path, "Rotate secret", new Dictionary<string, string> { ["kind"] = "ed25519", ["grace"] = "0" }));

        var key = (await SecretsAsync(user.AccountId, id)).CurrentEd25519!;
        answer.QuerySelector(".secret code")!.TextContent.ShouldBe(key.Secret);
        answer.QuerySelector(".card-highlight code.copyable")!.TextContent.ShouldBe(WebhookSecretAnswer.PublicKeyOf(key));
        answer.QuerySelector(".card-highlight code.copyable")!.TextContent.ShouldStartWith("whpk_");
    }

    [Fact]
    public async Task A_read_only_user_sees_no_secret_and_cannot_rotate()
    {
        var (_, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/ro"), new { trigger = "open" });
        var before = (await SecretsAsync(user.AccountId, id)).Secrets.Single();
        var reader = await DashboardWebhookFormTests.ReaderAsync(app, user.AccountId);

        var page = await reader.PageAsync($"/dashboard/webhooks/{id}/secrets");

        page.QuerySelector("main form").ShouldBeNull();
        page.QuerySelector("table").ShouldBeNull();
        page.QuerySelector("main")!.TextContent.ShouldContain("secrets are shown to editors and admins only");
        (await DashboardWebhookFormTests.PostFormAsync(reader, $"/dashboard/webhooks/{id}/secrets", [("kind", "hmac")])).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await SecretsAsync(user.AccountId, id)).Secrets.Single().ShouldBe(before);
    }

    [Fact]
    public async Task The_signing_keys_page_shows_each_published_key_with_its_DNS_record_and_says_rotating_is_a_command()
    {
        var (browser, _, _) = await SignedInAsync();
        var store = app.Services.GetRequiredService<SigningKeyStore>();
        await store.EnsureKeyAsync(Ct);
        var keys = await store.ListPublishedAsync(Ct);

        var page = await browser.PageAsync("/dashboard/webhooks/signing-keys");

        page.QuerySelectorAll("main section.card").Length.ShouldBe(keys.Count);
        var signing = page.QuerySelector("main section.card")!;
        signing.QuerySelector("h2 code")!.TextContent.ShouldBe(keys[0].KeyId("localhost"));
        signing.QuerySelector("h2 .state")!.TextContent.ShouldBe("Signing");
        signing.QuerySelectorAll("pre code").Select(c => c.TextContent).ShouldBe([keys[0].DnsZoneLine("localhost"), keys[0].PublicKeyPem]);
        page.QuerySelector("[role=status]")!.TextContent.ShouldContain("keys rotate");
        page.QuerySelector("main form").ShouldBeNull();
        page.Source.Text.ShouldNotContain("PRIVATE KEY");
    }
}
