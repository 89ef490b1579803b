using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tidings.SecretProtection;

namespace Tidings.Tests.SecretProtection;

/// <summary>The stored format and its guarantees, without a database.</summary>
public sealed class SecretProtectorTests
{
    private const string Purpose = "webhook_secrets.secret";
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const long Row = 7;

    private static MasterKey Key(string id) => new(id, RandomNumberGenerator.GetBytes(MasterKey.Bytes));

    private static AesGcmSecretProtector Protector(MasterKey primary, params MasterKey[] others) => new(new MasterKeyRing(primary, others));

    [Fact]
    public void A_value_is_stored_as_enc_v2_with_the_key_id_and_a_fresh_nonce_every_time()
    {
        var protector = Protector(Key("k1"));

        var first = protector.Protect(Purpose, Row, Secret);
        var second = protector.Protect(Purpose, Row, Secret);

        first.ShouldStartWith("enc:v2:k1:");
        first.ShouldNotContain(Secret[6..]);
        second.ShouldNotBe(first);
        Convert.FromBase64String(first["enc:v2:k1:".Length..]).Length.ShouldBe(12 + Encoding.UTF8.GetByteCount(Secret) + 16);
        protector.Unprotect(Purpose, Row, first).ShouldBe(Secret);
        protector.Unprotect(Purpose, Row, second).ShouldBe(Secret);
        protector.KeyIdOf(first).ShouldBe("k1");
    }

    [Fact]
    public void Binary_values_are_stored_as_the_ascii_of_the_same_format()
    {
        var protector = Protector(Key("k1"));
        var der = RandomNumberGenerator.GetBytes(1200);
        der[0] = 0x30;

        var stored = protector.Protect("webhook_signing_keys.private_key", Row, der);

        Encoding.ASCII.GetString(stored).ShouldStartWith("enc:v2:k1:");
        protector.KeyIdOf(stored).ShouldBe("k1");
        protector.Unprotect("webhook_signing_keys.private_key", Row, stored).ShouldBe(der);
    }

    [Fact]
    public void Values_stored_before_encryption_are_read_as_they_are()
    {
        var protector = Protector(Key("k1"));
        byte[] der = [0x30, 0x82, 0x04, 0xbe, 0x02, 0x01];

        protector.Unprotect(Purpose, Row, Secret).ShouldBe(Secret);
        protector.Unprotect("webhook_signing_keys.private_key", Row, der).ShouldBe(der);
        protector.KeyIdOf(Secret).ShouldBeNull();
        protector.KeyIdOf(der).ShouldBeNull();
    }

    [Fact]
    public void A_value_of_a_key_that_is_not_configured_fails_naming_that_key()
    {
        var stored = Protector(Key("old-2025")).Protect(Purpose, Row, Secret);

        var error = Should.Throw<SecretDecryptionException>(() => Protector(Key("new-2026")).Unprotect(Purpose, Row, stored));

        error.KeyId.ShouldBe("old-2025");
        error.Message.ShouldContain("master key 'old-2025', which is not configured on this node");
        error.Message.ShouldContain("known here: new-2026");
        error.Message.ShouldContain(Purpose);
    }

    [Fact]
    public void A_different_key_under_the_same_id_fails_naming_the_key_instead_of_returning_garbage()
    {
        var stored = Protector(Key("k1")).Protect(Purpose, Row, Secret);

        var error = Should.Throw<SecretDecryptionException>(() => Protector(Key("k1")).Unprotect(Purpose, Row, stored));

        error.KeyId.ShouldBe("k1");
        error.Message.ShouldContain("with master key 'k1': the key configured under that id is not the one it was encrypted with");
    }

    [Fact]
    public void A_value_moved_to_another_column_or_relabelled_with_another_key_id_does_not_decrypt()
    {
        var key = Key("k1");
        var protector = Protector(key, new MasterKey("k2", key.Key));
        var stored = protector.Protect(Purpose, Row, Secret);

        Should.Throw<SecretDecryptionException>(() => protector.Unprotect("webhook_signing_keys.private_key", Row, stored));
        Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row, stored.Replace("enc:v2:k1:", "enc:v2:k2:", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_altered_or_truncated_value_fails()
    {
        var protector = Protector(Key("k1"));
        var stored = protector.Protect(Purpose, Row, Secret);
        var bytes = Convert.FromBase64String(stored["enc:v2:k1:".Length..]);
        bytes[20] ^= 1;

        Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row, "enc:v2:k1:" + Convert.ToBase64String(bytes)));
        Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row, "enc:v2:k1:AAAA")).Message.ShouldContain("damaged");
        Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row, "enc:v2:k1")).Message.ShouldContain("not in the form");
        Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row, "enc:v9:k1:" + stored["enc:v2:k1:".Length..])).Message.ShouldContain("format v9");
    }

    [Fact]
    public void After_a_new_primary_key_values_of_the_old_key_still_decrypt_and_new_values_use_the_new_key()
    {
        var old = Key("2025");
        var stored = Protector(old).Protect(Purpose, Row, Secret);

        var rotated = Protector(Key("2026"), old);

        rotated.Unprotect(Purpose, Row, stored).ShouldBe(Secret);
        rotated.Protect(Purpose, Row, Secret).ShouldStartWith("enc:v2:2026:");
        rotated.PrimaryKeyId.ShouldBe("2026");
    }

    [Fact]
    public void A_value_copied_onto_another_row_of_its_column_does_not_decrypt_there()
    {
        var protector = Protector(Key("k1"));
        var stored = protector.Protect(Purpose, Row, Secret);
        var storedKey = protector.Protect("webhook_signing_keys.private_key", Row, [0x30, 0x82, 0x01]);

        var error = Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row + 1, stored));
        error.Message.ShouldContain($"{Purpose} in row {Row + 1}");
        error.Message.ShouldContain("copied from another column or row");
        Should.Throw<SecretDecryptionException>(() => protector.Unprotect("webhook_signing_keys.private_key", 1, storedKey));
        protector.Unprotect(Purpose, Row, stored).ShouldBe(Secret);
    }

    [Fact]
    public void A_value_in_the_older_form_not_bound_to_its_row_is_read_until_its_column_refuses_that_form()
    {
        var key = Key("k1");
        var protector = Protector(key);
        var unbound = UnboundForm.Seal(key, Purpose, Secret);
        protector.FormOf(unbound).ShouldBe(SecretForm.Unbound);
        protector.FormOf(protector.Protect(Purpose, Row, Secret)).ShouldBe(SecretForm.Bound);
        protector.FormOf(Secret).ShouldBe(SecretForm.Plaintext);

        protector.Unprotect(Purpose, Row, unbound).ShouldBe(Secret);
        protector.Unprotect(Purpose, Row + 1, unbound).ShouldBe(Secret);
        Should.Throw<SecretDecryptionException>(() => protector.Unprotect("webhook_signing_keys.private_key", Row, unbound));

        protector.RefuseUnbound(Purpose);

        Should.Throw<SecretDecryptionException>(() => protector.Unprotect(Purpose, Row, unbound)).Message
            .ShouldContain("it is in the older form that is not bound to its row, but every value of webhook_secrets.secret was bound to its row since");
        protector.Unprotect("webhook_signing_keys.private_key", Row, UnboundForm.Seal(key, "webhook_signing_keys.private_key", Secret)).ShouldBe(Secret);
    }

    [Fact]
    public void The_key_ring_takes_the_configured_primary_and_refuses_an_unknown_one()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
        var a = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var b = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new SecretProtectionOptions { MasterKeys = { ["a"] = a, ["b"] = b }, PrimaryKeyId = "b" };

        var ring = MasterKeyRing.Load(options, Path.Combine(folder, "master.key"), NullLogger.Instance);
        ring.Primary.Id.ShouldBe("b");
        ring.All.Select(k => k.Id).ShouldBe(["b", "a"], ignoreOrder: true);
        File.Exists(Path.Combine(folder, "master.key")).ShouldBeFalse();

        options.PrimaryKeyId = "c";
        Should.Throw<InvalidOperationException>(() => MasterKeyRing.Load(options, Path.Combine(folder, "master.key"), NullLogger.Instance))
            .Message.ShouldContain("Secrets:PrimaryKeyId is 'c', but there is no master key with that id");
    }

    [Theory]
    [InlineData("bad:id", "AAAA", "Secrets:MasterKeys: 'bad:id' is not a valid key id")]
    [InlineData("k1", "AAECAwQFBgcICQoLDA0ODw==", "Secrets:MasterKeys:k1 must be base64 of exactly 32 bytes")]
    [InlineData("k1", "not base64!", "Secrets:MasterKeys:k1 must be base64 of exactly 32 bytes")]
    public void A_configured_key_that_is_not_a_32_byte_key_with_a_valid_id_stops_the_start(string id, string value, string message)
    {
        var options = new SecretProtectionOptions { MasterKeys = { [id] = value } };
        Should.Throw<InvalidOperationException>(() => MasterKeyRing.Load(options, "unused.key", NullLogger.Instance)).Message.ShouldStartWith(message);
    }

    [Fact]
    public void Several_configured_keys_need_a_primary_key_id()
    {
        var options = new SecretProtectionOptions { MasterKeys = { ["a"] = SharedStore.NewKey(), ["b"] = SharedStore.NewKey() } };
        Should.Throw<InvalidOperationException>(() => MasterKeyRing.Load(options, "unused.key", NullLogger.Instance))
            .Message.ShouldContain("Secrets:PrimaryKeyId must name the master key");
    }

    [Fact]
    public void Without_configured_keys_a_key_file_is_created_once_readable_by_its_owner_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "master.key");
        try
        {
            var first = MasterKeyRing.Load(new SecretProtectionOptions(), path, NullLogger.Instance);
            var second = MasterKeyRing.Load(new SecretProtectionOptions(), path, NullLogger.Instance);

            first.Primary.Id.ShouldStartWith("file_");
            second.Primary.Id.ShouldBe(first.Primary.Id);
            second.Primary.Key.ShouldBe(first.Primary.Key);
            Convert.FromBase64String(File.ReadAllText(path).Trim()).ShouldBe(first.Primary.Key);
            if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.GetFiles(folder).ShouldHaveSingleItem();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")]
    public void A_key_file_that_does_not_hold_a_32_byte_key_stops_the_start(string content)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "master.key");
        File.WriteAllText(path, content);
        try
        {
            Should.Throw<InvalidOperationException>(() => MasterKeyRing.Load(new SecretProtectionOptions(), path, NullLogger.Instance))
                .Message.ShouldContain($"The master key file {path} must hold base64 of exactly 32 bytes");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
