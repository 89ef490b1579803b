using System.Text;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Secrets;

/// <summary>The secrets calls: import (with its validation), ed25519 on and off, bad input, and account isolation.</summary>
public sealed class WebhookSecretsApiTests(SecretsApp app) : IClassFixture<SecretsApp>
{
    private const string NoWebhook = "No webhook with supplied ID";

    // The Standard Webhooks reference vector, and the ed25519 key Svix's README publishes.
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Ed25519Secret = "whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==";
    private const string Ed25519Public = "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_imported_secret_signs_exactly_as_the_reference_libraries_expect()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);

        var imported = await SecretsApp.OkJsonAsync(await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = VectorSecret, grace = 0 }));
        imported.Str("secret").ShouldBe(VectorSecret);
        imported.Str("kind").ShouldBe("hmac");

        var keys = await app.Secrets.GetKeysAsync(id, Ct);
        var signer = new StandardWebhooksSigner(keys, app.Time);
        signer.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"))
            .ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public async Task Importing_keeps_the_replaced_secret_for_its_grace_and_importing_the_current_one_again_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var generated = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret");

        // Unpadded, as some providers print it; stored and shown padded.
        var body = $"secret={Uri.EscapeDataString(VectorSecret)}&grace=60";
        await (await client.SendAsync(HttpMethod.Post, $"/v3/webhook/{id}/secrets", body, "application/x-www-form-urlencoded")).ShouldHaveStatusAsync(200);
        await (await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = VectorSecret })).ShouldHaveStatusAsync(200);

        var listed = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray();
        listed.Select(s => s.Str("secret")).ShouldBe([VectorSecret, generated]);
        listed[1].Str("expires").ShouldNotBeNullOrEmpty();
        (await app.SecretRowsAsync(id)).ShouldBe(2);
    }

    [Theory]
    [InlineData("", "A secret is required: whsec_… (HMAC, signs v1) or whsk_… (ed25519, signs v1a)")]
    [InlineData("whsec_!!not*base64", "Invalid secret: The secret is not valid base64.")]
    [InlineData("whsec_AAECAwQFBgcICQ==", "Invalid secret: a whsec_ secret must decode to 24 to 75 bytes, this one is 10")]
    [InlineData("whsk_AAECAwQFBgcICQoLDA0ODw==", "Invalid secret: An ed25519 secret key is 32 or 64 bytes, not 16.")]
    [InlineData("whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=", "Invalid secret: whpk_ is a public key; import the secret key (whsk_…), whose public key Tidings then shows")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Invalid secret: it must start with whsec_ (HMAC, signs v1) or whsk_ (ed25519, signs v1a)")]
    public async Task A_bad_secret_is_refused_with_what_is_wrong_and_nothing_changes(string secret, string message)
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var before = (await app.Secrets.GetKeysAsync(id, Ct)).Secrets.Single().Secret.ToString();

        await (await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret })).ShouldBeCopernicaErrorAsync(message);

        (await app.Secrets.GetKeysAsync(id, Ct)).Secrets.ShouldHaveSingleItem().Secret.ToString().ShouldBe(before);
        (await app.SecretRowsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task An_ed25519_key_whose_halves_do_not_belong_together_is_refused()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var seed = Convert.FromBase64String(Ed25519Secret[5..])[..32];
        var wrong = "whsk_" + Convert.ToBase64String([.. seed, .. new byte[32]]);

        await (await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = wrong }))
            .ShouldBeCopernicaErrorAsync("Invalid secret: The public half of the ed25519 secret key does not belong to its private half.");
    }

    [Theory]
    [InlineData("kind=rsa", "Unknown kind 'rsa' (expected hmac or ed25519)")]
    [InlineData("grace=-1", "grace must be a whole number of seconds from 0 to 604800")]
    [InlineData("grace=1.5", "grace must be a whole number of seconds from 0 to 604800")]
    [InlineData("grace=604801", "grace must be a whole number of seconds from 0 to 604800")]
    public async Task Bad_rotation_input_is_refused(string body, string message)
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        await (await client.SendAsync(HttpMethod.Post, $"/v3/webhook/{id}/secrets/rotate", body, "application/x-www-form-urlencoded"))
            .ShouldBeCopernicaErrorAsync(message);
        (await app.SecretRowsAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task An_ed25519_key_adds_a_v1a_signature_until_it_is_removed()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var hmac = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret");

        var created = await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" }));
        created.Str("kind").ShouldBe("ed25519");
        created.Str("secret").ShouldStartWith("whsk_");
        var whpk = created.Str("public_key");
        whpk.ShouldBe(Ed25519WebhookKey.Parse(created.Str("secret")).PublicKeyString());

        var shown = await client.GetJsonAsync($"/v3/webhook/{id}/secrets");
        shown.Str("ed25519_public_key").ShouldBe(whpk);
        var entries = SignatureEntries.Of(await app.Secrets.GetKeysAsync(id, Ct), app.Time);
        entries.Length.ShouldBe(2);
        SignatureEntries.HasV1For(entries, hmac, app.Time).ShouldBeTrue();
        SignatureEntries.HasV1aFor(entries, whpk, app.Time).ShouldBeTrue();

        await (await client.DeleteAsync($"/v3/webhook/{id}/secrets/ed25519")).ShouldHaveStatusAsync(204);

        var after = await app.Secrets.GetKeysAsync(id, Ct);
        after.Ed25519Key.ShouldBeNull();
        SignatureEntries.Of(after, app.Time).ShouldHaveSingleItem().ShouldStartWith("v1,");
        (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["ed25519_public_key"].ShouldBeNull();
    }

    [Fact]
    public async Task An_imported_ed25519_key_replaces_the_previous_one_at_once()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        await (await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" })).ShouldHaveStatusAsync(200);

        var imported = await SecretsApp.OkJsonAsync(await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = Ed25519Secret }));
        imported.Str("public_key").ShouldBe(Ed25519Public);

        var keys = await app.Secrets.GetKeysAsync(id, Ct);
        keys.Ed25519Key!.PublicKeyString().ShouldBe(Ed25519Public);
        SignatureEntries.HasV1aFor(SignatureEntries.Of(keys, app.Time), Ed25519Public, app.Time).ShouldBeTrue();
        (await app.SecretRowsAsync(id)).ShouldBe(2); // the hmac secret and the one ed25519 key
    }

    [Fact]
    public async Task Another_account_can_neither_read_nor_change_the_secrets()
    {
        var owner = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(owner);
        var secret = (await owner.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret");
        var other = await app.NewAccountAsync("Other");

        await (await other.GetAsync($"/v3/webhook/{id}/secrets")).ShouldBeCopernicaErrorAsync(NoWebhook);
        await (await other.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { grace = 0 })).ShouldBeCopernicaErrorAsync(NoWebhook);
        await (await other.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" })).ShouldBeCopernicaErrorAsync(NoWebhook);
        await (await other.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = VectorSecret, grace = 0 })).ShouldBeCopernicaErrorAsync(NoWebhook);
        await (await other.DeleteAsync($"/v3/webhook/{id}/secrets/ed25519")).ShouldBeCopernicaErrorAsync(NoWebhook);

        var keys = await app.Secrets.GetKeysAsync(id, Ct);
        keys.Secrets.ShouldHaveSingleItem().Secret.ToString().ShouldBe(secret);
        keys.Ed25519Key.ShouldBeNull();
    }

    [Theory]
    [InlineData("987654321")]
    [InlineData("abc")]
    public async Task A_missing_webhook_is_the_same_error(string id)
    {
        var client = await app.NewAccountAsync();
        await (await client.GetAsync($"/v3/webhook/{id}/secrets")).ShouldBeCopernicaErrorAsync(NoWebhook);
        await (await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { })).ShouldBeCopernicaErrorAsync(NoWebhook);
    }

    [Fact]
    public async Task A_read_only_token_does_not_get_the_secrets()
    {
        var owner = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(owner);
        var reader = await app.NewTokenAsync(owner, canWrite: false);

        await (await reader.GetAsync($"/v3/webhook/{id}/secrets")).ShouldBeCopernicaErrorAsync("This access token has no write access");
        await (await reader.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { })).ShouldBeCopernicaErrorAsync("This access token has no write access");
        (await reader.GetJsonAsync($"/v3/webhook/{id}")).Str("handler").ShouldBe("https://hooks.example.com/in");
    }

    [Fact]
    public async Task Answers_with_secrets_are_not_cached()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var response = await client.GetAsync($"/v3/webhook/{id}/secrets");
        await response.ShouldHaveStatusAsync(200);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
    }
}
