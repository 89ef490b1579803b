using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tidings.SecretProtection;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Secrets;
using Tidings.Webhooks.Secrets;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.SecretProtection;

/// <summary>What the database holds once secrets go through the server: ciphertext only, and signing still verifies.</summary>
public sealed class SecretsAtRestTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Primary => app.Services.GetRequiredService<ISecretProtector>().PrimaryKeyId;

    /// <summary>A store with an empty cache, so every read goes to the database.</summary>
    private WebhookSecretStore FreshStore() => new(
        app.Services.GetRequiredService<WebhookSecretTable>(), TimeProvider.System, app.Services.GetRequiredService<IOptions<WebhookSecretsOptions>>());

    [Fact]
    public async Task Secrets_created_through_the_api_are_stored_encrypted_and_still_sign()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        var generated = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret");
        var ed25519 = await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" }));
        await (await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = VectorSecret, grace = 600 })).ShouldHaveStatusAsync(200);

        var raw = await RawColumns.WebhookSecretsAsync(app, id);
        raw.Count.ShouldBe(3);
        foreach (var stored in raw.Values)
        {
            stored.ShouldStartWith($"enc:v2:{Primary}:");
            foreach (var plain in new[] { generated, ed25519.Str("secret"), VectorSecret })
            {
                stored.ShouldNotContain(plain.Split('_')[1][..11]);
            }
        }

        var entries = SignatureEntries.Of(await FreshStore().GetKeysAsync(id, Ct), TimeProvider.System);
        entries.Length.ShouldBe(3);
        SignatureEntries.HasV1For(entries, VectorSecret, TimeProvider.System).ShouldBeTrue();
        SignatureEntries.HasV1For(entries, generated, TimeProvider.System).ShouldBeTrue();
        SignatureEntries.HasV1aFor(entries, ed25519.Str("public_key"), TimeProvider.System).ShouldBeTrue();
        var listed = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray().Select(s => s.Str("secret"));
        listed.ShouldBe([VectorSecret, ed25519.Str("secret"), generated], ignoreOrder: true);

        // Importing the current secret again is recognised although the stored copies differ (fresh nonces).
        await (await client.PutJsonAsync($"/v3/webhook/{id}/secrets", new { secret = VectorSecret })).ShouldHaveStatusAsync(200);
        (await RawColumns.WebhookSecretsAsync(app, id)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task The_signing_private_key_is_stored_encrypted_and_signs_what_the_published_key_verifies()
    {
        var store = app.Services.GetRequiredService<SigningKeyStore>();
        var key = await store.GetSigningKeyAsync(Ct);
        var raw = (await RawColumns.PrivateKeysAsync(app))[key.Selector];
        RawColumns.Text(raw).ShouldStartWith($"enc:v2:{Primary}:");
        raw.AsSpan().IndexOf(key.PrivateKey.AsSpan(100, 32)).ShouldBe(-1);

        var request = new OutgoingWebhookRequest("POST", new Uri("https://r.example/h?x=1"), [], Encoding.UTF8.GetBytes("{}"), "evt_1", 7);
        var headers = (await app.Services.GetRequiredService<CopernicaSigner>().SignAsync(request, Ct)).ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);
        var signature = HttpSignature.Parse(headers["signature"]).ShouldNotBeNull();
        var values = new Dictionary<string, string>(headers)
        {
            ["(request-target)"] = CopernicaSigner.RequestTarget("POST", request.Url),
            ["host"] = CopernicaSigner.Host(request.Url),
            ["content-length"] = "2",
        };
        var published = (await store.ListPublishedAsync(Ct)).Single(k => k.KeyId("localhost") == signature.KeyId);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(published.PublicKey, out _);
        rsa.VerifyData(Encoding.UTF8.GetBytes(CopernicaSigner.SigningString(signature.Headers, n => values[n])), Convert.FromBase64String(signature.Signature),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).ShouldBeTrue();
    }

    [Fact]
    public async Task A_stored_secret_no_configured_key_decrypts_fails_the_read_naming_the_key_and_nothing_is_signed()
    {
        var client = await app.NewAccountAsync();
        var id = await SecretsApp.NewWebhookAsync(client);
        await FreshStore().GetKeysAsync(id, Ct);
        var row = (await RawColumns.WebhookSecretsAsync(app, id)).Keys.Single();
        var lost = new AesGcmSecretProtector(new MasterKeyRing(new MasterKey("lost-key", RandomNumberGenerator.GetBytes(32)), []));
        await RawColumns.ExecuteAsync(app, "UPDATE webhook_secrets SET secret = @secret WHERE id = @row",
            new { row, secret = lost.Protect(WebhookSecretTable.SecretColumn.Purpose, row, VectorSecret) });

        var error = await Should.ThrowAsync<SecretDecryptionException>(() => FreshStore().GetKeysAsync(id, Ct));
        error.KeyId.ShouldBe("lost-key");
        error.Message.ShouldContain($"webhook_secrets.secret in row {row}: it was encrypted with master key 'lost-key', which is not configured on this node");
        await (await client.GetAsync($"/v3/webhook/{id}/secrets")).ShouldHaveStatusAsync(500);

        await (await client.DeleteAsync($"/v3/webhook/{id}")).ShouldHaveStatusAsync(204);
    }

    [Fact]
    public async Task A_secret_copied_onto_another_row_does_not_decrypt_there_and_nothing_is_signed_with_it()
    {
        var client = await app.NewAccountAsync();
        var (first, second) = (await SecretsApp.NewWebhookAsync(client), await SecretsApp.NewWebhookAsync(client));
        await FreshStore().GetKeysAsync(first, Ct);
        await FreshStore().GetKeysAsync(second, Ct);
        var (firstRow, firstStored) = (await RawColumns.WebhookSecretsAsync(app, first)).Single();
        var secondRow = (await RawColumns.WebhookSecretsAsync(app, second)).Keys.Single();

        // A secret whose value an attacker knows, put under another webhook straight in the database.
        await RawColumns.ExecuteAsync(app, "UPDATE webhook_secrets SET secret = @firstStored WHERE id = @secondRow", new { firstStored, secondRow });

        var error = await Should.ThrowAsync<SecretDecryptionException>(() => FreshStore().GetKeysAsync(second, Ct));
        error.Message.ShouldContain($"webhook_secrets.secret in row {secondRow}");
        error.Message.ShouldContain("copied from another column or row");
        (await FreshStore().GetKeysAsync(first, Ct)).Secrets.ShouldHaveSingleItem();
        await (await client.DeleteAsync($"/v3/webhook/{second}")).ShouldHaveStatusAsync(204);
    }

    [Fact]
    public async Task A_signing_private_key_copied_onto_another_key_row_does_not_decrypt_there()
    {
        var store = app.Services.GetRequiredService<SigningKeyStore>();
        var current = await store.GetSigningKeyAsync(Ct);
        var other = new SigningKeyStore(app.Services.GetRequiredService<Tidings.Storage.IStorage>(), app.Services.GetRequiredService<ISecretProtector>(),
            TimeProvider.System, app.Services.GetRequiredService<IOptions<WebhookSigningOptions>>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<SigningKeyStore>.Instance);
        var rotated = await other.RotateAsync(Ct);
        var raw = await RawColumns.PrivateKeysAsync(app);
        try
        {
            await RawColumns.ExecuteAsync(app, "UPDATE webhook_signing_keys SET private_key = @copied WHERE id = @id", new { copied = raw[current.Selector], id = rotated.Id });

            var error = await Should.ThrowAsync<SecretDecryptionException>(() => other.ListAllAsync(Ct));
            error.Message.ShouldContain($"webhook_signing_keys.private_key in row {rotated.Id}");
        }
        finally
        {
            // The fixture's other tests sign with the newest key.
            await RawColumns.ExecuteAsync(app, "DELETE FROM webhook_signing_keys WHERE id = @id", new { id = rotated.Id });
            await RawColumns.ExecuteAsync(app, "UPDATE webhook_signing_keys SET retired_at = NULL", new { });
        }
    }
}
