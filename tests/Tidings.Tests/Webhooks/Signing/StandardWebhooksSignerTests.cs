using System.Text;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Signing;

public sealed class StandardWebhooksSignerTests
{
    // The canonical vector, hard-coded in every Standard Webhooks reference library's tests.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Payload = "{\"test\": 2432232314}";

    // The spec's example v1a value, reproduced with the ed25519 key Svix's README publishes.
    private const string Ed25519Secret = "whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==";
    private const string Ed25519Public = "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=";
    private const string V1aExpected = "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==";

    private static readonly ManualTime VectorTime = new(DateTimeOffset.FromUnixTimeSeconds(Timestamp));

    private static OutgoingWebhookRequest Request(string body, string eventId = MessageId) =>
        new("POST", new Uri("https://receiver.example/hook"), [new("Content-Type", "application/json")], Encoding.UTF8.GetBytes(body), eventId, 1);

    private static async Task<Dictionary<string, string>> SignAsync(StandardWebhooksKeys keys, TimeProvider time, OutgoingWebhookRequest request) =>
        (await new StandardWebhooksSigner(keys, time).SignAsync(request, TestContext.Current.CancellationToken)).ToDictionary(h => h.Key, h => h.Value);

    [Fact]
    public async Task Signs_the_canonical_test_vector_exactly()
    {
        var headers = await SignAsync(StandardWebhooksKeys.Symmetric(WebhookSecret.Parse(Secret)), VectorTime, Request(Payload));

        headers["webhook-id"].ShouldBe(MessageId);
        headers["webhook-timestamp"].ShouldBe("1614265330");
        headers["webhook-signature"].ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Theory]
    [InlineData("", "v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=")]
    [InlineData("{\"type\":\"email.opened\",\"data\":{\"email\":\"zoë@example.com\"}}", "v1,48l9HFrh8TXfydrZbIbj089K6ZzR7CYXy02AnSRICJs=")]
    public void Signs_the_exact_utf8_body_bytes(string body, string expected)
    {
        var signer = new StandardWebhooksSigner(StandardWebhooksKeys.Symmetric(WebhookSecret.Parse(Secret)), VectorTime);
        signer.Sign(MessageId, Timestamp, Encoding.UTF8.GetBytes(body)).ShouldBe(expected);
    }

    [Fact]
    public void Signs_the_specs_v1a_example_with_the_published_ed25519_key()
    {
        var key = Ed25519WebhookKey.Parse(Ed25519Secret);
        key.PublicKeyString().ShouldBe(Ed25519Public);

        var signer = new StandardWebhooksSigner(StandardWebhooksKeys.Asymmetric(key), VectorTime);
        signer.Sign(MessageId, Timestamp, Encoding.UTF8.GetBytes(Payload)).ShouldBe(V1aExpected);
    }

    [Fact]
    public void Signs_with_v1_and_v1a_together_space_separated()
    {
        var keys = new StandardWebhooksKeys([new ScheduledWebhookSecret(WebhookSecret.Parse(Secret))], Ed25519WebhookKey.Parse(Ed25519Secret));
        new StandardWebhooksSigner(keys, VectorTime).Sign(MessageId, Timestamp, Encoding.UTF8.GetBytes(Payload))
            .ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= " + V1aExpected);
    }

    [Fact]
    public async Task During_rotation_the_new_and_the_old_secret_both_sign_until_the_grace_period_ends()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(Timestamp));
        var old = WebhookSecret.Parse(Secret);
        var fresh = WebhookSecret.Generate();
        var keys = new StandardWebhooksKeys([new ScheduledWebhookSecret(fresh), new ScheduledWebhookSecret(old, time.Now.AddHours(24))]);

        var during = (await SignAsync(keys, time, Request(Payload)))["webhook-signature"].Split(' ');
        during.Length.ShouldBe(2);
        during.ShouldAllBe(s => s.StartsWith("v1,"));
        during.ShouldContain("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

        time.Now = time.Now.AddHours(24);
        var after = (await SignAsync(keys, time, Request(Payload)))["webhook-signature"].Split(' ');
        after.Length.ShouldBe(1);
        after[0].ShouldNotBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public async Task A_retry_keeps_the_webhook_id_and_gets_the_time_of_its_own_attempt()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(Timestamp));
        var keys = StandardWebhooksKeys.Symmetric(WebhookSecret.Parse(Secret));
        var first = await SignAsync(keys, time, Request(Payload, "evt_42"));
        time.Now = time.Now.AddMinutes(5);
        var retry = await SignAsync(keys, time, Request(Payload, "evt_42"));

        retry["webhook-id"].ShouldBe(first["webhook-id"]);
        retry["webhook-timestamp"].ShouldBe((Timestamp + 300).ToString(System.Globalization.CultureInfo.InvariantCulture));
        retry["webhook-signature"].ShouldNotBe(first["webhook-signature"]);
    }

    [Fact]
    public void A_message_id_with_a_dot_is_refused_because_it_would_make_the_signed_content_ambiguous()
    {
        var signer = new StandardWebhooksSigner(StandardWebhooksKeys.Symmetric(WebhookSecret.Parse(Secret)), VectorTime);
        Should.Throw<ArgumentException>(() => signer.Sign("msg.1", Timestamp, []));
    }

    [Fact]
    public void Signing_without_any_valid_secret_fails_instead_of_sending_unsigned()
    {
        var keys = new StandardWebhooksKeys([new ScheduledWebhookSecret(WebhookSecret.Parse(Secret), VectorTime.GetUtcNow())]);
        Should.Throw<InvalidOperationException>(() => new StandardWebhooksSigner(keys, VectorTime).Sign(MessageId, Timestamp, []));
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("  whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")]
    public void A_secret_parses_with_or_without_its_prefix(string secret)
    {
        var parsed = WebhookSecret.Parse(secret);
        parsed.ToString().ShouldBe(Secret);
        parsed.Key.Length.ShouldBe(24);
    }

    [Fact]
    public void An_unpadded_secret_is_accepted_as_the_python_reference_library_does()
    {
        var signer = new StandardWebhooksSigner(StandardWebhooksKeys.Symmetric(WebhookSecret.Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS")), VectorTime);
        signer.Sign(MessageId, Timestamp, Encoding.UTF8.GetBytes(Payload)).ShouldBe("v1,LVOXivKoo4FWasi/IaHvzhE/u+7/cu2AME+zS/nXqzk=");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("whsec_")]
    [InlineData("whsec_not*base64!")]
    public void An_empty_or_invalid_secret_is_rejected(string secret) =>
        Should.Throw<InvalidWebhookSecretException>(() => WebhookSecret.Parse(secret));

    [Theory]
    [InlineData("")]
    [InlineData("whsk_")]
    [InlineData("whsk_AAAA")]
    [InlineData("whsk_@@@")]
    public void An_empty_or_malformed_ed25519_key_is_rejected(string key) =>
        Should.Throw<InvalidWebhookSecretException>(() => Ed25519WebhookKey.Parse(key));

    [Fact]
    public void An_ed25519_secret_key_whose_public_half_does_not_belong_to_it_is_rejected()
    {
        var bytes = Convert.FromBase64String(Ed25519Secret["whsk_".Length..]);
        bytes[^1] ^= 1;
        Should.Throw<InvalidWebhookSecretException>(() => Ed25519WebhookKey.Parse("whsk_" + Convert.ToBase64String(bytes)));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void A_generated_secret_has_the_asked_length_and_round_trips(int bytes)
    {
        var secret = WebhookSecret.Generate(bytes);
        secret.ToString().ShouldStartWith("whsec_");
        secret.Key.Length.ShouldBe(bytes);
        WebhookSecret.Parse(secret.ToString()).Key.ShouldBe(secret.Key);
        WebhookSecret.Generate(bytes).Key.ShouldNotBe(secret.Key);
    }

    [Theory]
    [InlineData(23)]
    [InlineData(65)]
    public void A_secret_outside_the_specs_24_to_64_bytes_is_not_generated(int bytes) =>
        Should.Throw<ArgumentOutOfRangeException>(() => WebhookSecret.Generate(bytes));

    [Fact]
    public void A_generated_ed25519_key_round_trips_and_its_signatures_verify_with_the_public_key()
    {
        var key = Ed25519WebhookKey.Generate();
        key.SecretKeyString().ShouldStartWith("whsk_");
        Ed25519WebhookKey.Parse(key.SecretKeyString()).PublicKeyString().ShouldBe(key.PublicKeyString());
        key.ToString().ShouldNotContain(key.SecretKeyString()["whsk_".Length..]);

        var content = StandardWebhooksSigner.SignedContent(MessageId, Timestamp, Encoding.UTF8.GetBytes(Payload));
        var signature = key.Sign(content);
        Ed25519WebhookKey.Verify(Ed25519WebhookKey.ParsePublicKey(key.PublicKeyString()), content, signature).ShouldBeTrue();
        content[^1] ^= 1;
        Ed25519WebhookKey.Verify(key.PublicKey, content, signature).ShouldBeFalse();
    }
}
