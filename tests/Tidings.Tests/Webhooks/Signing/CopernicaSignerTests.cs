using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Signing;

public sealed class CopernicaSignerTests
{
    private static readonly FixedKey Key = new();
    private static readonly ManualTime Time = new(new DateTimeOffset(2014, 1, 5, 21, 31, 40, TimeSpan.Zero));

    private static CopernicaSigner Signer(string idFormat = "account-{id}") =>
        new(Key, Options.Create(new WebhookSigningOptions { Domain = "tidings.example", CopernicaIdFormat = idFormat }), Time);

    private static OutgoingWebhookRequest Request(params KeyValuePair<string, string>[] headers) =>
        new("POST", new Uri("https://yourserver.yourdomain.com/path/to/your/script?x=1"), headers, Encoding.UTF8.GetBytes("{\"type\":\"open\"}"), "evt_1", 1234);

    private static async Task<Dictionary<string, string>> SignAsync(CopernicaSigner signer, OutgoingWebhookRequest request) =>
        (await signer.SignAsync(request, TestContext.Current.CancellationToken)).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public async Task Signs_date_copernica_id_digest_and_nonce_with_rsa_sha256_over_the_documented_headers()
    {
        var request = Request(new KeyValuePair<string, string>("Content-Type", "application/json"));
        var headers = await SignAsync(Signer(), request);

        headers["Date"].ShouldBe("Sun, 05 Jan 2014 21:31:40 GMT");
        headers["X-Copernica-ID"].ShouldBe("account-1234");
        // Lower case: Copernica's PHP verifier matches the algorithm token case-sensitively.
        headers["Digest"].ShouldBe("sha-256=" + Convert.ToBase64String(SHA256.HashData(request.Body.Span)));
        headers["X-Nonce"].Length.ShouldBe(32);
        headers.ShouldNotContainKey("Content-Type");

        var signature = HttpSignature.Parse(headers["Signature"]).ShouldNotBeNull();
        signature.KeyId.ShouldBe("test-20260101-abcdef._domainkey.tidings.example");
        signature.Algorithm.ShouldBe("rsa-sha256");
        signature.Headers.ShouldBe("(request-target) host date content-length content-type x-copernica-id digest x-nonce");

        var signingString = string.Join('\n',
            "(request-target): post /path/to/your/script?x=1",
            "host: yourserver.yourdomain.com",
            "date: Sun, 05 Jan 2014 21:31:40 GMT",
            "content-length: " + request.Body.Length.ToString(CultureInfo.InvariantCulture),
            "content-type: application/json",
            "x-copernica-id: account-1234",
            "digest: " + headers["Digest"],
            "x-nonce: " + headers["X-Nonce"]);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Key.Key.PublicKey, out _);
        rsa.VerifyData(Encoding.UTF8.GetBytes(signingString), Convert.FromBase64String(signature.Signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).ShouldBeTrue();
    }

    [Fact]
    public async Task The_copernica_id_format_can_be_the_underscore_form_the_official_verifier_expects()
    {
        (await SignAsync(Signer("account_{id}"), Request()))["X-Copernica-ID"].ShouldBe("account_1234");
    }

    [Fact]
    public async Task A_missing_content_type_is_added_as_json_so_the_signed_value_is_the_sent_value()
    {
        (await SignAsync(Signer(), Request()))["Content-Type"].ShouldBe("application/json");
    }

    [Fact]
    public async Task Every_call_gets_a_fresh_nonce()
    {
        var first = await SignAsync(Signer(), Request());
        var second = await SignAsync(Signer(), Request());
        second["X-Nonce"].ShouldNotBe(first["X-Nonce"]);
    }

    [Fact]
    public void The_host_carries_the_port_only_when_it_is_not_the_default()
    {
        CopernicaSigner.Host(new Uri("https://a.example/x")).ShouldBe("a.example");
        CopernicaSigner.Host(new Uri("https://a.example:8443/x")).ShouldBe("a.example:8443");
        CopernicaSigner.Host(new Uri("http://a.example:443/x")).ShouldBe("a.example:443");
    }

    [Fact]
    public void The_signature_header_of_copernicas_documentation_parses_although_it_is_wrapped_and_lacks_a_comma()
    {
        const string documented = """
            keyId="one._domainkey.copernica.com",algorithm="rsa-sha256",
                 headers="(request-target) Host Date Content-length Content-type
                   X-Copernica-ID Digest X-nonce"
                 signature="vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs
                   8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZF
                   ukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="
            """;
        var parsed = HttpSignature.Parse(documented).ShouldNotBeNull();
        parsed.KeyId.ShouldBe("one._domainkey.copernica.com");
        parsed.Headers.ShouldBe("(request-target) Host Date Content-length Content-type X-Copernica-ID Digest X-nonce");
        parsed.Signature.ShouldStartWith("vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp");
        HttpSignature.Parse("algorithm=\"rsa-sha256\"").ShouldBeNull();
    }

    [Fact]
    public void The_dns_record_is_a_dkim_record_of_the_public_key_without_spaces_split_into_strings_dns_can_hold()
    {
        // No spaces between the tags: Copernica's PHP verifier splits on ';' and '=' without trimming.
        Key.Key.DnsTxtRecord.ShouldBe("v=DKIM1;k=rsa;p=" + Convert.ToBase64String(Key.Key.PublicKey));
        var line = Key.Key.DnsZoneLine("tidings.example");
        line.ShouldStartWith("test-20260101-abcdef._domainkey.tidings.example. IN TXT \"v=DKIM1;k=rsa;p=");
        var strings = line[(line.IndexOf('"', StringComparison.Ordinal))..].Split("\" \"");
        strings.Length.ShouldBeGreaterThan(1);
        string.Concat(strings).Trim('"').ShouldBe(Key.Key.DnsTxtRecord);
    }
}
