using System.Text.RegularExpressions;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Configuration;
using Tidings.Tests.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Signing;

/// <summary>
/// The delivery server with its signing keys under <see cref="KeyDomain"/>, and a DNS server that serves their TXT
/// records to the PHP verifier. Always on SQLite: what is tested here does not depend on the storage provider.
/// </summary>
public sealed class PhpVerifierApp : DeliveryApp
{
    public const string KeyDomain = "keys.tidings.test";

    public TestDnsServer Dns { get; } = new();

    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Signing:Domain"] = KeyDomain,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Dns.Dispose();
    }
}

/// <summary>
/// Real deliveries, checked by the rules of Copernica's own PHP verifier (php/copernica-verifier.php: the library's
/// rules with the key domain and the DNS lookup adapted), with the key fetched from DNS as the server publishes it.
/// Runs in the SQLite pass of the suite only.
/// </summary>
public sealed partial class CopernicaPhpVerifierTests(PhpVerifierApp app) : IClassFixture<PhpVerifierApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";

    /// <summary>One call as the receiver got it, and what the verifier needs to check it.</summary>
    private sealed record Delivery(ReceivedCall Call, string KeyId, string TxtRecord, string CopernicaId)
    {
        public object Input(IReadOnlyDictionary<string, string>? headers = null, byte[]? body = null, string keyDomain = PhpVerifierApp.KeyDomain, string? nameServer = null) => new
        {
            method = Call.Method,
            requestUri = Call.PathAndQuery,
            headers = headers ?? Call.Headers,
            bodyBase64 = Convert.ToBase64String(body ?? Call.Body),
            copernicaId = CopernicaId,
            keyDomain,
            nameServer,
        };
    }

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("form")]
    [InlineData("json")]
    public async Task Copernicas_verifier_accepts_a_real_delivery_with_the_key_from_the_published_dns_record(string format)
    {
        var delivery = await DeliverAsync(format);
        app.Dns.Txt[delivery.KeyId] = [delivery.TxtRecord];

        var output = await PhpVerifier.ShouldVerifyAsync(Input(delivery));
        output.ShouldContain("verified bits=2048");

        // What the verifier relies on, on the wire: lower-case names in headers=, rsa-sha256, a lower-case digest token.
        var signature = delivery.Call.Header("Signature")!;
        var signed = SignatureParameter("headers", signature);
        signed.ShouldBe(signed.ToLowerInvariant());
        signed.Split(' ').ShouldBe(["(request-target)", "host", "date", "content-length", "content-type", "x-copernica-id", "digest", "x-nonce"]);
        SignatureParameter("algorithm", signature).ShouldBe("rsa-sha256");
        delivery.Call.Header("Digest")!.ShouldStartWith("sha-256=", Case.Sensitive);
        delivery.TxtRecord.ShouldStartWith("v=DKIM1;k=rsa;p=", Case.Sensitive);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Copernicas_verifier_finds_no_key_in_a_dkim_record_with_spaces_after_the_semicolons()
    {
        var delivery = await DeliverAsync("form");
        // The form earlier versions published: its tags split into " k" and " p", so there is no 'p' and no key.
        app.Dns.Txt[delivery.KeyId] = [delivery.TxtRecord.Replace(";", "; ", StringComparison.Ordinal)];

        await PhpVerifier.ShouldRejectAsync(Input(delivery), "signature is invalid");

        app.Dns.Txt[delivery.KeyId] = [delivery.TxtRecord];
        await PhpVerifier.ShouldVerifyAsync(Input(delivery));
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Copernicas_verifier_refuses_an_upper_case_digest_token()
    {
        var delivery = await DeliverAsync("json");
        app.Dns.Txt[delivery.KeyId] = [delivery.TxtRecord];
        var digest = delivery.Call.Header("Digest")!;

        await PhpVerifier.ShouldRejectAsync(Input(delivery, WithHeader(delivery, "Digest", "SHA-256=" + digest["sha-256=".Length..])), "Invalid hashing algorithm");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Copernicas_verifier_refuses_a_changed_body_another_key_a_key_outside_the_domain_and_another_account()
    {
        var delivery = await DeliverAsync("form");
        app.Dns.Txt[delivery.KeyId] = [delivery.TxtRecord];

        var changed = delivery.Call.Body.ToArray();
        changed[^1] ^= 1;
        await PhpVerifier.ShouldRejectAsync(Input(delivery, body: changed), "Digest header does not match body data");
        await PhpVerifier.ShouldRejectAsync(Input(delivery, keyDomain: "tidings.example"), "call is not signed by tidings.example");
        await PhpVerifier.ShouldRejectAsync(Input(delivery with { CopernicaId = delivery.CopernicaId + "0" }), "invalid signature: the x-copernica-id header is not included in the signature or has an invalid value");

        app.Dns.Txt[delivery.KeyId] = [new FixedKey().Key.DnsTxtRecord];
        await PhpVerifier.ShouldRejectAsync(Input(delivery), "signature is invalid");
    }

    private object Input(Delivery delivery, IReadOnlyDictionary<string, string>? headers = null, byte[]? body = null, string keyDomain = PhpVerifierApp.KeyDomain) =>
        delivery.Input(headers, body, keyDomain, app.Dns.EndPoint);

    private static Dictionary<string, string> WithHeader(Delivery delivery, string name, string value) =>
        new(delivery.Call.Headers, StringComparer.OrdinalIgnoreCase) { [name] = value };

    /// <summary>A webhook created through the API delivers one real event; the key it was signed with is looked up as a receiver would.</summary>
    private async Task<Delivery> DeliverAsync(string format)
    {
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var handler = new Uri(receiver.Url, "copernica?source=tidings");
        var webhook = await DeliveryApp.CreateWebhookAsync(client, handler, new { trigger = "create", signing = "copernica", format, database });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);

        await client.CreateProfileAsync(database, new { name = "Zoë" });
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];
        call.PathAndQuery.ShouldBe("/copernica?source=tidings");

        var keyId = SignatureParameter("keyId", call.Header("Signature")!);
        keyId.ShouldEndWith("._domainkey." + PhpVerifierApp.KeyDomain);
        var keys = (await client.GetJsonAsync("/.well-known/tidings/webhook-keys"))["keys"]!.AsArray();
        var published = keys.Single(k => k!["keyId"]!.GetValue<string>() == keyId)!;
        return new Delivery(call, keyId, published["dnsTxtRecord"]!.GetValue<string>(), "account-" + client.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string SignatureParameter(string name, string signature)
    {
        var match = Parameter().Matches(signature).FirstOrDefault(m => m.Groups[1].Value == name);
        return match.ShouldNotBeNull($"{name} in {signature}").Groups[2].Value;
    }

    [GeneratedRegex("([a-zA-Z]+)=\"(.*?)\"")]
    private static partial Regex Parameter();
}
