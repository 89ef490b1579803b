using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Secrets;

namespace Tidings.Tests.Webhooks.Secrets;

/// <summary><see cref="WebhookSecretStore.GetKeysAsync"/> as the delivery engine uses it: lazily created, stable, rotated with a grace period.</summary>
public sealed class WebhookSecretStoreTests(SecretsApp app) : IClassFixture<SecretsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store with an empty cache, as on another node (or after a restart).</summary>
    private WebhookSecretStore FreshStore() => new(
        app.Services.GetRequiredService<WebhookSecretTable>(), app.Time, app.Services.GetRequiredService<IOptions<WebhookSecretsOptions>>());

    [Fact]
    public async Task A_webhook_gets_an_hmac_secret_on_first_use_and_keeps_it()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        (await app.SecretRowsAsync(id)).ShouldBe(0);

        var keys = await app.Secrets.GetKeysAsync(id, Ct);
        var secret = keys.Secrets.ShouldHaveSingleItem();
        secret.ValidUntil.ShouldBeNull();
        secret.Secret.ToString().ShouldStartWith("whsec_");
        secret.Secret.Key.Length.ShouldBe(32);
        keys.Ed25519Key.ShouldBeNull();
        (await app.SecretRowsAsync(id)).ShouldBe(1);

        (await app.Secrets.GetKeysAsync(id, Ct)).Secrets.Single().Secret.ToString().ShouldBe(secret.Secret.ToString());
        (await FreshStore().GetKeysAsync(id, Ct)).Secrets.Single().Secret.ToString().ShouldBe(secret.Secret.ToString());
        (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret").ShouldBe(secret.Secret.ToString());
        (await app.SecretRowsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Reading_the_secrets_first_creates_the_same_secret_the_calls_are_signed_with()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var shown = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray().ShouldHaveSingleItem().Str("secret");

        var entries = SignatureEntries.Of(await app.Secrets.GetKeysAsync(id, Ct), app.Time);
        entries.ShouldHaveSingleItem();
        SignatureEntries.HasV1For(entries, shown, app.Time).ShouldBeTrue();
    }

    [Fact]
    public async Task Nodes_creating_the_first_secret_at_the_same_time_agree_on_one()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => FreshStore().GetKeysAsync(id, Ct), Ct)));

        all.Select(k => k.Secrets.Single().Secret.ToString()).Distinct().ShouldHaveSingleItem();
        (await app.SecretRowsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_until_the_grace_period_ends_also_when_cached()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var old = (await app.Secrets.GetKeysAsync(id, Ct)).Secrets.Single().Secret.ToString();

        var fresh = (await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { grace = 600 }))).Str("secret");
        fresh.ShouldNotBe(old);

        var during = await app.Secrets.GetKeysAsync(id, Ct);
        during.Secrets.Count.ShouldBe(2);
        during.Secrets[0].ValidUntil.ShouldBeNull();
        during.Secrets[1].ValidUntil.ShouldBe(app.Time.Now.AddSeconds(600));
        var entries = SignatureEntries.Of(during, app.Time);
        entries.Length.ShouldBe(2);
        entries.ShouldAllBe(e => e.StartsWith("v1,"));
        SignatureEntries.HasV1For(entries, fresh, app.Time).ShouldBeTrue();
        SignatureEntries.HasV1For(entries, old, app.Time).ShouldBeTrue();

        app.Time.Now = app.Time.Now.AddSeconds(599);
        SignatureEntries.Of(await app.Secrets.GetKeysAsync(id, Ct), app.Time).Length.ShouldBe(2);

        // Still well within the hour the entry may be cached: the grace period's end alone drops the old secret.
        app.Time.Now = app.Time.Now.AddSeconds(2);
        var after = await app.Secrets.GetKeysAsync(id, Ct);
        after.Secrets.ShouldHaveSingleItem().Secret.ToString().ShouldBe(fresh);
        var afterEntries = SignatureEntries.Of(after, app.Time);
        afterEntries.ShouldHaveSingleItem();
        SignatureEntries.HasV1For(afterEntries, fresh, app.Time).ShouldBeTrue();
        SignatureEntries.HasV1For(afterEntries, old, app.Time).ShouldBeFalse();
    }

    [Fact]
    public async Task A_rotation_without_grace_keeps_the_old_secret_for_the_default_24_hours()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        await app.Secrets.GetKeysAsync(id, Ct);

        (await client.SendAsync(HttpMethod.Post, $"/v3/webhook/{id}/secrets/rotate")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);

        (await app.Secrets.GetKeysAsync(id, Ct)).Secrets[1].ValidUntil.ShouldBe(app.Time.Now.AddHours(24));
        var listed = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray();
        listed.Count.ShouldBe(2);
        listed[0]!["expires"].ShouldBeNull();
        var time = app.Services.GetRequiredService<Tidings.Rest.CopernicaTime>();
        listed[1].Str("expires").ShouldBe(time.FormatMs(app.Time.Now.AddHours(24).ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task A_rotation_with_grace_0_stops_the_old_secret_at_once()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var old = (await app.Secrets.GetKeysAsync(id, Ct)).Secrets.Single().Secret.ToString();

        var response = await client.SendAsync(HttpMethod.Post, $"/v3/webhook/{id}/secrets/rotate", "grace=0", "application/x-www-form-urlencoded");
        await response.ShouldHaveStatusAsync(200);

        var keys = await app.Secrets.GetKeysAsync(id, Ct);
        keys.Secrets.ShouldHaveSingleItem().Secret.ToString().ShouldNotBe(old);
        (await app.SecretRowsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Rotating_often_keeps_at_most_ten_replaced_secrets_signing()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        for (var i = 0; i < 12; i++)
        {
            await (await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { grace = 3000 })).ShouldHaveStatusAsync(200);
        }

        var keys = await app.Secrets.GetKeysAsync(id, Ct);
        keys.Secrets.Count.ShouldBe(11);
        SignatureEntries.Of(keys, app.Time).Length.ShouldBe(11);
    }

    [Fact]
    public async Task Deleting_the_webhook_removes_its_secrets_and_forgets_the_cached_keys()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        await app.Secrets.GetKeysAsync(id, Ct);
        await (await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { grace = 3000 })).ShouldHaveStatusAsync(200);
        await (await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" })).ShouldHaveStatusAsync(200);
        (await app.Secrets.GetKeysAsync(id, Ct)).Secrets.Count.ShouldBe(2);
        (await app.SecretRowsAsync(id)).ShouldBe(3);

        await (await client.DeleteAsync($"/v3/webhook/{id}")).ShouldHaveStatusAsync(204);

        (await app.SecretRowsAsync(id)).ShouldBe(0);
        await Should.ThrowAsync<KeyNotFoundException>(() => app.Secrets.GetKeysAsync(id, Ct));
        (await app.SecretRowsAsync(id)).ShouldBe(0);
        await (await client.GetAsync($"/v3/webhook/{id}/secrets")).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
    }

    [Fact]
    public async Task A_webhook_that_does_not_exist_gets_no_secret()
    {
        await Should.ThrowAsync<KeyNotFoundException>(() => app.Secrets.GetKeysAsync(987_654_321, Ct));
        (await app.SecretRowsAsync(987_654_321)).ShouldBe(0);
    }
}
