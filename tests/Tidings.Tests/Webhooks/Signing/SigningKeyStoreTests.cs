using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tidings.SecretProtection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Signing;

public sealed class SigningKeyStoreTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private SigningKeyStore Store(ManualTime time, int overlapHours = 72) => new(
        app.Services.GetRequiredService<IStorage>(),
        app.Services.GetRequiredService<ISecretProtector>(),
        time,
        Options.Create(new WebhookSigningOptions { RotationOverlapHours = overlapHours, KeyCacheSeconds = 0, Domain = "tidings.example" }),
        NullLogger<SigningKeyStore>.Instance);

    [Fact]
    public async Task The_first_start_generates_a_key_that_the_well_known_url_publishes_with_its_dns_record()
    {
        var response = await app.CreateClient().GetAsync(WebhookSigningFeature.WellKnownPath, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        response.Headers.CacheControl!.Public.ShouldBeTrue();
        var keys = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["keys"]!.AsArray();

        keys.Count.ShouldBeGreaterThanOrEqualTo(1);
        var key = keys[0]!;
        key["signing"]!.GetValue<bool>().ShouldBeTrue();
        key["algorithm"]!.GetValue<string>().ShouldBe("rsa-sha256");
        key["keyId"]!.GetValue<string>().ShouldEndWith("._domainkey.localhost");
        key["keyId"]!.GetValue<string>().ShouldStartWith("tidings-");
        var pem = key["publicKeyPem"]!.GetValue<string>();
        pem.ShouldStartWith("-----BEGIN PUBLIC KEY-----");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        rsa.KeySize.ShouldBe(2048);
        key["dnsTxtRecord"]!.GetValue<string>().ShouldBe("v=DKIM1;k=rsa;p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public async Task The_app_signs_with_the_key_it_publishes()
    {
        var signer = app.Services.GetRequiredService<CopernicaSigner>();
        var request = new OutgoingWebhookRequest("POST", new Uri("https://r.example/h"), [], Encoding.UTF8.GetBytes("{}"), "evt_1", 7);
        var headers = (await signer.SignAsync(request, TestContext.Current.CancellationToken)).ToDictionary(h => h.Key, h => h.Value);
        var signature = HttpSignature.Parse(headers["Signature"]).ShouldNotBeNull();
        var published = await app.Services.GetRequiredService<SigningKeyStore>().ListPublishedAsync(TestContext.Current.CancellationToken);
        published.Select(k => k.KeyId("localhost")).ShouldContain(signature.KeyId);
    }

    [Fact]
    public async Task A_rotation_signs_with_the_new_key_and_keeps_the_old_one_published_for_the_overlap_period_only()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow.AddYears(1));
        var store = Store(time);
        var before = await store.GetSigningKeyAsync(TestContext.Current.CancellationToken);

        var rotated = await store.RotateAsync(TestContext.Current.CancellationToken);
        rotated.Selector.ShouldNotBe(before.Selector);
        (await store.GetSigningKeyAsync(TestContext.Current.CancellationToken)).Selector.ShouldBe(rotated.Selector);
        var published = await store.ListPublishedAsync(TestContext.Current.CancellationToken);
        published[0].Selector.ShouldBe(rotated.Selector);
        published.Select(k => k.Selector).ShouldContain(before.Selector);
        published.Single(k => k.Selector == before.Selector).RetiredAt.ShouldBe(time.Now.AddHours(72).ToUnixTimeMilliseconds());

        time.Now = time.Now.AddHours(72);
        var later = await store.ListPublishedAsync(TestContext.Current.CancellationToken);
        later.Select(k => k.Selector).ShouldNotContain(before.Selector);
        later.Select(k => k.Selector).ShouldContain(rotated.Selector);
        (await store.ListAllAsync(TestContext.Current.CancellationToken)).Select(k => k.Selector).ShouldContain(before.Selector);
    }

    [Fact]
    public async Task Ensuring_a_key_when_one_exists_creates_none()
    {
        var store = Store(new ManualTime(DateTimeOffset.UtcNow));
        var count = (await store.ListAllAsync(TestContext.Current.CancellationToken)).Count;
        var (_, created) = await store.EnsureKeyAsync(TestContext.Current.CancellationToken);
        created.ShouldBeFalse();
        (await store.ListAllAsync(TestContext.Current.CancellationToken)).Count.ShouldBe(count);
    }
}

/// <summary>The <c>keys</c> verbs, run as an operator would: the real executable against a fresh SQLite file.</summary>
public sealed class SigningKeyCommandLineTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-cli-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Keys_list_and_keys_rotate_print_the_txt_records_to_publish()
    {
        var list = await RunAsync("keys", "list");
        list.ExitCode.ShouldBe(0, list.Output);
        list.Output.ShouldContain("._domainkey.hooks.example. IN TXT \"v=DKIM1;k=rsa;p=");
        list.Output.ShouldContain("signing");
        // The first run also logs that it created the master key file: the key is the first line with a tab.
        var first = list.Output.Split('\n').First(l => l.Contains('\t', StringComparison.Ordinal)).Split('\t')[0];

        var rotate = await RunAsync("keys", "rotate");
        rotate.ExitCode.ShouldBe(0, rotate.Output);
        rotate.Output.ShouldContain("New signing key");
        rotate.Output.ShouldContain(first + "\trsa-sha256\tpublished until ");

        var usage = await RunAsync("keys", "burn");
        usage.ExitCode.ShouldBe(2);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        Tidings.Tests.Infrastructure.CommandLine.RunAsync(Path.Combine(_directory, "t.db"), ["--Webhooks:Signing:Domain=hooks.example"], args);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
