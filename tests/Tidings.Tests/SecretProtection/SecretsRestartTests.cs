using Microsoft.Extensions.DependencyInjection;
using Tidings.SecretProtection;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Secrets;
using Tidings.Webhooks.Secrets;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.SecretProtection;

/// <summary>Servers started one after another on the same store: conversion of old rows, wrong keys, and key rotation.</summary>
public sealed class SecretsRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Secrets_stored_in_plain_text_before_are_read_as_they_are_and_encrypted_at_the_next_start()
    {
        await using var store = await SharedStore.CreateAsync();
        string token, hmac, ed25519, selector;
        long accountId, id;
        byte[] privateKey;
        await using (var before = await store.StartAsync())
        {
            var client = await before.NewAccountAsync();
            (token, accountId) = (client.Token, client.AccountId);
            id = await SecretsApp.NewWebhookAsync(client);
            hmac = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret");
            ed25519 = (await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" }))).Str("secret");
            var key = await before.Services.GetRequiredService<SigningKeyStore>().GetSigningKeyAsync(Ct);
            (selector, privateKey) = (key.Selector, key.PrivateKey);

            // As a version without encryption left them.
            await RawColumns.ExecuteAsync(before, "UPDATE webhook_secrets SET secret = @hmac WHERE webhook_id = @id AND kind = 'hmac'", new { id, hmac });
            await RawColumns.ExecuteAsync(before, "UPDATE webhook_secrets SET secret = @ed25519 WHERE webhook_id = @id AND kind = 'ed25519'", new { id, ed25519 });
            await RawColumns.ExecuteAsync(before, "UPDATE webhook_signing_keys SET private_key = @privateKey", new { privateKey });
            (await RawColumns.WebhookSecretsAsync(before, id)).Values.ShouldBe([hmac, ed25519], ignoreOrder: true);
            var table = before.Services.GetRequiredService<WebhookSecretTable>();
            (await table.ReadAsync(id, DateTimeOffset.UtcNow, Ct)).Select(s => s.Secret).ShouldBe([hmac, ed25519], ignoreOrder: true);
        }

        await using var after = await store.StartAsync();
        var primary = after.Services.GetRequiredService<ISecretProtector>().PrimaryKeyId;
        (await RawColumns.WebhookSecretsAsync(after, id)).Values.ShouldAllBe(v => v.StartsWith($"enc:v2:{primary}:"));
        RawColumns.Text((await RawColumns.PrivateKeysAsync(after))[selector]).ShouldStartWith($"enc:v2:{primary}:");

        var again = new ApiClient(after.CreateClient(), token, accountId);
        var shown = (await again.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray().Select(s => s.Str("secret"));
        shown.ShouldBe([hmac, ed25519], ignoreOrder: true);
        var entries = SignatureEntries.Of(await after.Services.GetRequiredService<WebhookSecretStore>().GetKeysAsync(id, Ct), TimeProvider.System);
        SignatureEntries.HasV1For(entries, hmac, TimeProvider.System).ShouldBeTrue();
        var key2 = await after.Services.GetRequiredService<SigningKeyStore>().GetSigningKeyAsync(Ct);
        key2.Selector.ShouldBe(selector);
        key2.PrivateKey.ShouldBe(privateKey);
    }

    [Fact]
    public async Task A_missing_or_wrong_master_key_stops_the_start_with_an_error_naming_the_key()
    {
        await using var store = await SharedStore.CreateAsync();
        string fileKeyId;
        await using (var first = await store.StartAsync())
        {
            fileKeyId = first.Services.GetRequiredService<ISecretProtector>().PrimaryKeyId;
            var client = await first.NewAccountAsync();
            await client.GetJsonAsync($"/v3/webhook/{await SecretsApp.NewWebhookAsync(client)}/secrets");
        }

        var elsewhere = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"), "master.key");
        await using (var missing = store.App(("Secrets:MasterKeyFile", elsewhere), ("Secrets:MasterKeys:other", SharedStore.NewKey())))
        {
            var error = (await Should.ThrowAsync<Exception>(async () => await missing.InitializeAsync())).ToString();
            error.ShouldContain("Not starting: stored secrets do not decrypt with the master keys configured on this node.");
            error.ShouldContain($"webhook_secrets.secret: 1 value(s) of master key '{fileKeyId}'");
            error.ShouldContain($"webhook_signing_keys.private_key: 1 value(s) of master key '{fileKeyId}'");
            error.ShouldContain("which is not configured on this node");
        }

        await using (var wrong = store.App(("Secrets:MasterKeyFile", elsewhere), ($"Secrets:MasterKeys:{fileKeyId}", SharedStore.NewKey())))
        {
            var error = (await Should.ThrowAsync<Exception>(async () => await wrong.InitializeAsync())).ToString();
            error.ShouldContain($"with master key '{fileKeyId}': the key configured under that id is not the one it was encrypted with");
        }

        // The right key still starts, and nothing was changed by the failed starts.
        await using var right = await store.StartAsync();
        right.Services.GetRequiredService<ISecretProtector>().PrimaryKeyId.ShouldBe(fileKeyId);
    }

    [Fact]
    public async Task After_a_new_primary_key_old_values_still_read_and_reencrypting_lets_the_old_key_go()
    {
        await using var store = await SharedStore.CreateAsync();
        var (oldKey, newKey) = (SharedStore.NewKey(), SharedStore.NewKey());
        string token, first;
        long accountId, id;
        await using (var before = await store.StartAsync(("Secrets:MasterKeys:2025", oldKey)))
        {
            var client = await before.NewAccountAsync();
            (token, accountId) = (client.Token, client.AccountId);
            id = await SecretsApp.NewWebhookAsync(client);
            first = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret");
            (await RawColumns.WebhookSecretsAsync(before, id)).Values.ShouldHaveSingleItem().ShouldStartWith("enc:v2:2025:");
        }

        File.Exists(store.KeyFile).ShouldBeFalse();
        string second;
        await using (var rotated = await store.StartAsync(("Secrets:MasterKeys:2025", oldKey), ("Secrets:MasterKeys:2026", newKey), ("Secrets:PrimaryKeyId", "2026")))
        {
            var client = new ApiClient(rotated.CreateClient(), token, accountId);
            (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]![0].Str("secret").ShouldBe(first);
            second = (await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { grace = 3600 }))).Str("secret");
            (await RawColumns.WebhookSecretsAsync(rotated, id)).Values.Select(v => v[..12]).ShouldBe(["enc:v2:2025:", "enc:v2:2026:"], ignoreOrder: true);
            var entries = SignatureEntries.Of(await rotated.Services.GetRequiredService<WebhookSecretStore>().GetKeysAsync(id, Ct), TimeProvider.System);
            SignatureEntries.HasV1For(entries, first, TimeProvider.System).ShouldBeTrue();
            SignatureEntries.HasV1For(entries, second, TimeProvider.System).ShouldBeTrue();

            var results = await rotated.Services.GetRequiredService<SecretColumnSweep>().RunAsync(SecretSweepMode.Reencrypt, Ct);
            results.Single(r => r.Purpose == "webhook_secrets.secret").Rewritten.ShouldBe(1);
            results.Single(r => r.Purpose == "webhook_signing_keys.private_key").Rewritten.ShouldBe(1);
            (await RawColumns.WebhookSecretsAsync(rotated, id)).Values.ShouldAllBe(v => v.StartsWith("enc:v2:2026:"));
            (await rotated.Services.GetRequiredService<SecretColumnSweep>().RunAsync(SecretSweepMode.Reencrypt, Ct)).ShouldAllBe(r => r.Rewritten == 0);
        }

        await using var after = await store.StartAsync(("Secrets:MasterKeys:2026", newKey));
        var shown = (await new ApiClient(after.CreateClient(), token, accountId).GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray();
        shown.Select(s => s.Str("secret")).ShouldBe([second, first]);
    }

    [Fact]
    public async Task Values_in_the_older_form_are_bound_to_their_row_at_the_next_start_with_progress_logged_and_refused_once_all_are()
    {
        await using var store = await SharedStore.CreateAsync();
        string token;
        long accountId, id;
        Dictionary<long, string> secrets;
        string selector;
        byte[] privateKey;
        string unboundCopy;
        await using (var before = await store.StartAsync())
        {
            var client = await before.NewAccountAsync();
            (token, accountId) = (client.Token, client.AccountId);
            id = await SecretsApp.NewWebhookAsync(client);
            await client.GetJsonAsync($"/v3/webhook/{id}/secrets");
            await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { grace = 3600 }));
            await SecretsApp.OkJsonAsync(await client.PostJsonAsync($"/v3/webhook/{id}/secrets/rotate", new { kind = "ed25519" }));
            var table = before.Services.GetRequiredService<WebhookSecretTable>();
            secrets = (await table.ReadAsync(id, DateTimeOffset.UtcNow, Ct)).ToDictionary(s => s.Id, s => s.Secret);
            secrets.Count.ShouldBe(3);
            var key = await before.Services.GetRequiredService<SigningKeyStore>().GetSigningKeyAsync(Ct);
            (selector, privateKey) = (key.Selector, key.PrivateKey);

            // As a version before row binding left them: every value in the older form, the upgrade not recorded.
            var fileKey = UnboundForm.FromFile(store.KeyFile);
            foreach (var (row, secret) in secrets)
            {
                await RawColumns.ExecuteAsync(before, "UPDATE webhook_secrets SET secret = @stored WHERE id = @row",
                    new { row, stored = UnboundForm.Seal(fileKey, "webhook_secrets.secret", secret) });
            }

            await RawColumns.ExecuteAsync(before, "UPDATE webhook_signing_keys SET private_key = @stored WHERE selector = @selector",
                new { selector, stored = System.Text.Encoding.ASCII.GetBytes(UnboundForm.Seal(fileKey, "webhook_signing_keys.private_key", privateKey)) });
            await RawColumns.ExecuteAsync(before, "DELETE FROM secret_columns_bound", new { });
            unboundCopy = (await RawColumns.WebhookSecretsAsync(before, id)).Values.First();
        }

        var logs = new LogCapture();
        await using (var after = await store.StartAsync(logs, ("Secrets:BatchSize", "1")))
        {
            var primary = after.Services.GetRequiredService<ISecretProtector>().PrimaryKeyId;
            (await RawColumns.WebhookSecretsAsync(after, id)).Values.ShouldAllBe(v => v.StartsWith($"enc:v2:{primary}:"));
            RawColumns.Text((await RawColumns.PrivateKeysAsync(after))[selector]).ShouldStartWith($"enc:v2:{primary}:");
            foreach (var seen in new[] { 1, 2, 3 })
            {
                logs.Entries.ShouldContain(e => e.Contains(
                    $"Secrets at rest, webhook_secrets.secret: {seen} value(s) rewritten bound to their row with the primary master key; {seen} of 3 looked at", StringComparison.Ordinal));
            }

            logs.Entries.ShouldContain(e => e.Contains("Encrypted 3 stored values of webhook_secrets.secret with master key", StringComparison.Ordinal));
            logs.Entries.ShouldContain(e => e.Contains("Encrypted 1 stored values of webhook_signing_keys.private_key with master key", StringComparison.Ordinal));

            var client = new ApiClient(after.CreateClient(), token, accountId);
            var shown = (await client.GetJsonAsync($"/v3/webhook/{id}/secrets"))["secrets"]!.AsArray().Select(s => s.Str("secret"));
            shown.ShouldBe(secrets.Values, ignoreOrder: true);
            (await after.Services.GetRequiredService<SigningKeyStore>().GetSigningKeyAsync(Ct)).PrivateKey.ShouldBe(privateKey);

            // Once all are bound, a value in the older form can only have been copied or restored from an old backup.
            var row = secrets.Keys.First();
            await RawColumns.ExecuteAsync(after, "UPDATE webhook_secrets SET secret = @unboundCopy WHERE id = @row", new { unboundCopy, row });
            var error = await Should.ThrowAsync<SecretDecryptionException>(() => after.Services.GetRequiredService<WebhookSecretTable>().ReadAsync(id, DateTimeOffset.UtcNow, Ct));
            error.Message.ShouldContain("in the older form that is not bound to its row");
        }

        await using var refused = store.App();
        var refusal = (await Should.ThrowAsync<Exception>(async () => await refused.InitializeAsync())).ToString();
        refusal.ShouldContain("Not starting: stored secrets do not decrypt with the master keys configured on this node.");
        refusal.ShouldContain($"webhook_secrets.secret: 1 value(s) of master key '{UnboundForm.FromFile(store.KeyFile).Id}' (ids {secrets.Keys.First()})");
    }
}
