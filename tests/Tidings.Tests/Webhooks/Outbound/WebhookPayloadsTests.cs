using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Webhooks.Outbound;

namespace Tidings.Tests.Webhooks.Outbound;

public sealed class WebhookPayloadsTests
{
    // 2026-01-05 12:00:00.250 UTC = 13:00:00 in Amsterdam.
    private const long Occurred = 1767614400250;
    private const long Created = 1767600000000; // 2026-01-05 08:00:00 UTC
    private static readonly WebhookPayloads Payloads = new(new CopernicaTime(TimeProvider.System, Options.Create(new RestOptions { TimeZone = "Europe/Amsterdam" })));

    private static JsonObject Enriched(JsonObject facts, bool subprofile = false)
    {
        var payload = new JsonObject
        {
            ["message"] = "abcdefgh12345678",
            ["mailing"] = 7,
            ["destination"] = 70,
            ["template"] = 3,
            ["subject"] = "Hello",
            ["senderdomain"] = "news.example.com",
            ["tags"] = new JsonArray("spring", "sale"),
            ["email"] = "john@example.com",
            ["profile"] = 123,
            ["subprofile"] = subprofile ? 456 : null,
            ["database"] = 1,
            ["collection"] = subprofile ? 2 : null,
            ["fields"] = new JsonObject { ["name"] = "John Doe", ["mail"] = "john@example.com" },
            ["interests"] = new JsonArray("blue", "red"),
        };
        if (subprofile) payload["subprofilefields"] = new JsonObject { ["order"] = "A-1" };
        foreach (var (key, value) in facts) payload[key] = value?.DeepClone();
        return payload;
    }

    private static JsonObject Build(string type, JsonObject payload) =>
        Payloads.Build(new JournalEvent("evt-1", type, Occurred, payload)).ShouldNotBeNull();

    private static readonly string[] Enrichment = ["mailing", "profile", "database", "fields", "interests", "event"];

    private static void ShouldHaveKeys(JsonObject o, params string[] keys) => o.Select(p => p.Key).ToArray().ShouldBe(keys);

    private static void ShouldHaveCommonFields(JsonObject o, string type)
    {
        o["id"]!.GetValue<string>().ShouldBe("abcdefgh12345678");
        o["type"]!.GetValue<string>().ShouldBe(type);
        o["timestamp"]!.GetValue<string>().ShouldBe("2026-01-05 13:00:00");
        o["time"]!.AsLong().ShouldBe(1767614400);
        o["recipient"]!.GetValue<string>().ShouldBe("john@example.com");
        o["tags"]!.ToJsonString().ShouldBe("""["spring","sale"]""");
        o["profile"]!.AsLong().ShouldBe(123);
        o["mailing"]!.AsLong().ShouldBe(7);
        o["fields"]!["name"]!.GetValue<string>().ShouldBe("John Doe");
        o["event"]!.GetValue<string>().ShouldBe("evt-1");
    }

    [Fact]
    public void Builds_a_bounce_with_id_type_times_recipient_envelope_mime_and_tags()
    {
        var o = Build("bounce", Enriched(new JsonObject { ["code"] = 550, ["status"] = "5.1.1", ["description"] = "no such user", ["recipient"] = "john@example.com", ["envelope"] = "bounce-abc@news.example.com", ["mime"] = "MIME-Version: 1.0\r\n..." }));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "recipient", "envelope", "mime", "tags", .. Enrichment]);
        ShouldHaveCommonFields(o, "bounce");
        o["envelope"]!.GetValue<string>().ShouldBe("bounce-abc@news.example.com");
    }

    [Fact]
    public void Builds_a_failure_with_action_state_code_extended_and_description()
    {
        var o = Build("failure", Enriched(new JsonObject { ["errortype"] = "hard", ["code"] = 550, ["status"] = "5.1.1", ["description"] = "User unknown", ["state"] = "rcptto" }));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "recipient", "action", "state", "code", "extended", "description", "tags", .. Enrichment]);
        ShouldHaveCommonFields(o, "failure");
        o["action"]!.GetValue<string>().ShouldBe("failure");
        o["state"]!.GetValue<string>().ShouldBe("rcptto");
        o["code"]!.AsLong().ShouldBe(550);
        o["extended"]!.GetValue<string>().ShouldBe("5.1.1");
    }

    [Fact]
    public void Builds_a_delivery_with_the_documented_fields_and_smtpeters_code_extended_description()
    {
        var o = Build("delivery", Enriched(new JsonObject { ["attempts"] = 0, ["code"] = 250, ["status"] = "2.0.0", ["description"] = "OK queued" }));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "recipient", "tags", "code", "extended", "description", .. Enrichment]);
        ShouldHaveCommonFields(o, "delivery");
    }

    [Fact]
    public void Builds_a_click_with_ip_original_url_useragent_and_referer()
    {
        var o = Build("click", Enriched(new JsonObject { ["ip"] = "203.0.113.9", ["useragent"] = "Mozilla/5.0", ["referer"] = null, ["headers"] = new JsonObject(), ["url"] = "https://shop.example.com/?a=1&b=2", ["link"] = 0 }));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "recipient", "ip", "original", "useragent", "referer", "tags", .. Enrichment]);
        ShouldHaveCommonFields(o, "click");
        o["original"]!.GetValue<string>().ShouldBe("https://shop.example.com/?a=1&b=2");
        o["referer"].ShouldBeNull();
    }

    [Fact]
    public void Builds_an_open_with_ip_useragent_and_referer()
    {
        var o = Build("open", Enriched(new JsonObject { ["ip"] = "203.0.113.9", ["useragent"] = "Mozilla/5.0", ["referer"] = null, ["headers"] = new JsonObject() }));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "recipient", "ip", "useragent", "referer", "tags", .. Enrichment]);
        ShouldHaveCommonFields(o, "open");
    }

    [Fact]
    public void Builds_an_unsubscribe_with_database_profile_and_mailing()
    {
        var o = Build("unsubscribe", Enriched(new JsonObject { ["source"] = "link", ["behavior"] = "remove", ["ip"] = "203.0.113.9", ["useragent"] = "Mozilla/5.0" }));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "database", "profile", "mailing", "recipient", "tags", "fields", "interests", "event"]);
        ShouldHaveCommonFields(o, "unsubscribe");
        o["database"]!.AsLong().ShouldBe(1);
    }

    [Fact]
    public void Adds_subprofile_collection_and_subprofile_fields_for_a_subprofile_mailing()
    {
        var o = Build("open", Enriched(new JsonObject { ["ip"] = "203.0.113.9", ["useragent"] = null, ["referer"] = null }, subprofile: true));
        ShouldHaveKeys(o, ["id", "type", "timestamp", "time", "recipient", "ip", "useragent", "referer", "tags", "mailing", "profile", "subprofile", "database", "collection", "fields", "interests", "subprofilefields", "event"]);
        o["subprofile"]!.AsLong().ShouldBe(456);
        o["subprofilefields"]!["order"]!.GetValue<string>().ShouldBe("A-1");
    }

    [Theory]
    [InlineData("attempt")]
    [InlineData("retry")]
    public void Has_no_webhook_for_attempts_and_retries(string type)
    {
        WebhookPayloads.WebhookType(type).ShouldBeNull();
        Payloads.Build(new JournalEvent("e", type, Occurred, Enriched([]))).ShouldBeNull();
    }

    private static JsonObject ProfileChange(string action, bool subprofile = false) => new()
    {
        ["entity"] = subprofile ? "subprofile" : "profile",
        ["action"] = action,
        ["profile"] = 123,
        ["subprofile"] = subprofile ? 456 : null,
        ["database"] = 1,
        ["collection"] = subprofile ? 2 : null,
        ["source"] = "rest",
        ["parameters"] = new JsonObject { ["mail"] = "johny@example.com" },
        ["fields"] = new JsonObject { ["name"] = "Johny", ["mail"] = "johny@example.com" },
        ["interests"] = subprofile ? null : new JsonArray("blue"),
        ["secret"] = "s3cr3t",
        ["created"] = Created,
        ["modified"] = Occurred,
    };

    [Theory]
    [InlineData("profile.create", "create")]
    [InlineData("profile.update", "update")]
    public void Builds_a_profile_create_or_update_with_type_action_parameters_fields_and_interests(string journalType, string type)
    {
        var o = Build(journalType, ProfileChange(type));
        ShouldHaveKeys(o, "id", "type", "action", "parameters", "timestamp", "time", "profile", "database", "created", "modified", "fields", "interests", "event");
        o["id"]!.AsLong().ShouldBe(123);
        o["type"]!.GetValue<string>().ShouldBe(type);
        o["action"]!.GetValue<string>().ShouldBe(type);
        o["created"]!.GetValue<string>().ShouldBe("2026-01-05 09:00:00");
        o["modified"]!.GetValue<string>().ShouldBe("2026-01-05 13:00:00");
        o["parameters"]!.ToJsonString().ShouldBe("""{"mail":"johny@example.com"}""");
        o["interests"]!.ToJsonString().ShouldBe("""["blue"]""");
        o.ContainsKey("secret").ShouldBeFalse();
    }

    [Theory]
    [InlineData("subprofile.create", "create")]
    [InlineData("subprofile.update", "update")]
    public void Builds_a_subprofile_create_or_update_with_subprofile_profile_and_collection_but_no_interests(string journalType, string type)
    {
        var o = Build(journalType, ProfileChange(type, subprofile: true));
        ShouldHaveKeys(o, "id", "type", "action", "parameters", "timestamp", "time", "subprofile", "profile", "database", "collection", "created", "modified", "fields", "event");
        o["id"]!.AsLong().ShouldBe(456);
        o["subprofile"]!.AsLong().ShouldBe(456);
        o["collection"]!.AsLong().ShouldBe(2);
    }

    [Fact]
    public void Builds_a_profile_delete_with_type_times_profile_database_and_fields()
    {
        var o = Build("profile.delete", ProfileChange("delete"));
        ShouldHaveKeys(o, "id", "type", "action", "timestamp", "time", "profile", "database", "fields", "event");
        o["type"]!.GetValue<string>().ShouldBe("delete");
    }

    [Fact]
    public void Builds_a_subprofile_delete_with_subprofile_profile_database_collection_and_fields()
    {
        var o = Build("subprofile.delete", ProfileChange("delete", subprofile: true));
        ShouldHaveKeys(o, "id", "type", "action", "timestamp", "time", "subprofile", "profile", "database", "collection", "fields", "event");
    }

    [Fact]
    public void Encodes_a_form_as_php_http_build_query_does_with_brackets_for_maps_and_lists()
    {
        var payload = new JsonObject
        {
            ["type"] = "create",
            ["fields"] = new JsonObject { ["name"] = "Jo hn~", ["mail"] = "j@x.nl", ["city"] = "Zürich" },
            ["interests"] = new JsonArray("blue", "red"),
            ["tags"] = new JsonArray(),
            ["referer"] = null,
            ["flag"] = true,
            ["off"] = false,
            ["time"] = 1767614400,
            ["original"] = "https://a.example/?x=1&y=2",
        };
        WebhookPayloads.ToForm(payload).ShouldBe(
            "type=create&fields%5Bname%5D=Jo+hn%7E&fields%5Bmail%5D=j%40x.nl&fields%5Bcity%5D=Z%C3%BCrich"
            + "&interests%5B%5D=blue&interests%5B%5D=red&flag=1&off=0&time=1767614400&original=https%3A%2F%2Fa.example%2F%3Fx%3D1%26y%3D2");
    }

    [Fact]
    public void Numbers_the_items_of_a_list_of_maps_so_php_keeps_them_apart()
    {
        var payload = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["a"] = "1" }, new JsonObject { ["a"] = "2" }) };
        WebhookPayloads.ToForm(payload).ShouldBe("items%5B0%5D%5Ba%5D=1&items%5B1%5D%5Ba%5D=2");
    }

    public static TheoryData<string> AllJournalTypes() => ["bounce", "failure", "delivery", "click", "open", "unsubscribe", "profile.create", "profile.update", "profile.delete", "subprofile.create", "subprofile.update", "subprofile.delete"];

    private static JsonObject Sample(string journalType) => journalType switch
    {
        "bounce" => Enriched(new JsonObject { ["code"] = 550, ["status"] = "5.1.1", ["description"] = "x", ["recipient"] = "john@example.com", ["envelope"] = "b@x.nl", ["mime"] = "From: a\r\n\r\nbody & more" }),
        "failure" => Enriched(new JsonObject { ["code"] = 550, ["status"] = "5.1.1", ["description"] = "User unknown", ["state"] = "rcptto" }),
        "delivery" => Enriched(new JsonObject { ["code"] = 250, ["status"] = "2.0.0", ["description"] = null }),
        "click" => Enriched(new JsonObject { ["ip"] = "203.0.113.9", ["useragent"] = "Mozilla/5.0 (X11; Linux)", ["referer"] = null, ["url"] = "https://shop.example.com/?a=1&b=[2]" }, subprofile: true),
        "open" => Enriched(new JsonObject { ["ip"] = "2001:db8::1", ["useragent"] = "Mozilla/5.0", ["referer"] = "https://mail.example/" }),
        "unsubscribe" => Enriched(new JsonObject { ["source"] = "one-click" }),
        _ => ProfileChange(journalType.Split('.')[1], journalType.StartsWith("subprofile", StringComparison.Ordinal)),
    };

    /// <summary>What PHP's $_POST holds after the form round trip: strings, no nulls, no empty maps or lists.</summary>
    private static JsonNode? AsPhpPost(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => (p.Key, Value: AsPhpPost(p.Value))).Where(p => p.Value is not null).ToList() is { Count: > 0 } kept
            ? new JsonObject(kept.Select(p => KeyValuePair.Create(p.Key, p.Value)))
            : null,
        JsonArray a => a.Select(AsPhpPost).Where(v => v is not null).ToList() is { Count: > 0 } items ? new JsonArray([.. items]) : null,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "1",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "0",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    [Theory]
    [MemberData(nameof(AllJournalTypes))]
    public void Form_body_decodes_to_the_same_structure_a_php_receiver_gets(string journalType)
    {
        var payload = Build(journalType, Sample(journalType));
        var (body, contentType) = WebhookPayloads.Encode(payload, WebhookFormat.Form);
        contentType.ShouldBe("application/x-www-form-urlencoded");
        var decoded = RequestBody.ParseForm(Encoding.ASCII.GetString(body)).Object;
        JsonNode.DeepEquals(decoded, AsPhpPost(payload)).ShouldBeTrue($"{decoded.ToJsonString()}\n{AsPhpPost(payload)!.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(AllJournalTypes))]
    public void Json_body_is_one_object_with_every_field_and_nulls_kept(string journalType)
    {
        var payload = Build(journalType, Sample(journalType));
        var (body, contentType) = WebhookPayloads.Encode(payload, WebhookFormat.Json);
        contentType.ShouldBe("application/json");
        var parsed = JsonNode.Parse(body).ShouldBeOfType<JsonObject>();
        JsonNode.DeepEquals(parsed, payload).ShouldBeTrue();
        parsed["time"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        parsed["timestamp"]!.GetValue<string>().ShouldBe("2026-01-05 13:00:00");
        parsed["fields"].ShouldBeOfType<JsonObject>();
    }

    [Fact]
    public void Json_keeps_non_ascii_text_readable()
    {
        var body = Encoding.UTF8.GetString(WebhookPayloads.ToJson(new JsonObject { ["city"] = "Zürich", ["url"] = "https://a/?x=1&y=<2>" }));
        body.ShouldBe("""{"city":"Zürich","url":"https://a/?x=1&y=<2>"}""");
    }

    [Fact]
    public void Batch_is_a_json_array_of_the_payloads_in_order()
    {
        var first = Build("open", Sample("open"));
        var second = Build("click", Sample("click"));
        var parsed = JsonNode.Parse(WebhookPayloads.ToJsonBatch([first, second])).ShouldBeOfType<JsonArray>();
        parsed.Count.ShouldBe(2);
        parsed[0]!["type"]!.GetValue<string>().ShouldBe("open");
        parsed[1]!["type"]!.GetValue<string>().ShouldBe("click");
        JsonNode.DeepEquals(parsed[1], second).ShouldBeTrue();
    }

    [Fact]
    public void Encodes_the_open_shown_in_the_documentation_exactly_as_documented()
    {
        var payload = new JsonObject
        {
            ["message"] = "k3j9x0a1b2c3d4e5", ["mailing"] = 7, ["tags"] = new JsonArray("spring", "sale"), ["email"] = "john@example.com",
            ["profile"] = 123, ["subprofile"] = null, ["database"] = 1, ["collection"] = null,
            ["fields"] = new JsonObject { ["name"] = "John Doe", ["mail"] = "john@example.com" }, ["interests"] = new JsonArray("blue"),
            ["ip"] = "203.0.113.9", ["useragent"] = "Mozilla/5.0", ["referer"] = null, ["headers"] = new JsonObject(),
        };
        var o = Payloads.Build(new JournalEvent("0194a3c2e1f07d2b9c4e5f6a7b8c9d0e", "open", 1767614400000, payload)).ShouldNotBeNull();
        WebhookPayloads.ToForm(o).ShouldBe(
            "id=k3j9x0a1b2c3d4e5&type=open&timestamp=2026-01-05+13%3A00%3A00&time=1767614400&recipient=john%40example.com"
            + "&ip=203.0.113.9&useragent=Mozilla%2F5.0&tags%5B%5D=spring&tags%5B%5D=sale&mailing=7&profile=123&database=1"
            + "&fields%5Bname%5D=John+Doe&fields%5Bmail%5D=john%40example.com&interests%5B%5D=blue&event=0194a3c2e1f07d2b9c4e5f6a7b8c9d0e");
    }

    [Theory]
    [InlineData("open", false)]
    [InlineData("open", true)]
    [InlineData("click", false)]
    [InlineData("delivery", false)]
    [InlineData("failure", false)]
    [InlineData("bounce", false)]
    [InlineData("unsubscribe", false)]
    [InlineData("profile.create", false)]
    [InlineData("profile.update", false)]
    [InlineData("profile.delete", false)]
    [InlineData("subprofile.create", true)]
    [InlineData("subprofile.update", true)]
    [InlineData("subprofile.delete", true)]
    public void The_body_written_straight_from_the_journal_text_equals_the_encoded_payload_in_both_formats(string type, bool subprofile)
    {
        var facts = new JsonObject
        {
            // Escapes, non-ASCII, a number with a fraction, booleans, nulls, nested lists of maps: what a journal may hold.
            ["ip"] = "2001:db8::1", ["useragent"] = "Mozilla/5.0 \"quoted\" <b>&amp; Zürich 😀", ["referer"] = null,
            ["url"] = "https://shop.example.com/?a=1&b=<2>", ["code"] = 550, ["status"] = "5.1.1", ["description"] = "tab\there\nnewline",
            ["envelope"] = "bounce@x.test", ["mime"] = "MIME-Version: 1.0\r\n", ["state"] = "rcptto",
        };
        var payload = type.Contains('.', StringComparison.Ordinal) ? ProfileChange(type.Split('.')[1], subprofile) : Enriched(facts, subprofile);
        payload["fields"] = new JsonObject
        {
            ["name"] = "Jöhn \"J\" Doe", ["score"] = 12.5, ["vip"] = true, ["blocked"] = false, ["empty"] = null,
            ["orders"] = new JsonArray(new JsonObject { ["id"] = 1, ["lines"] = new JsonArray("a", "b") }, new JsonObject { ["id"] = 2 }),
        };
        var journalText = payload.ToJsonString(); // the journal's own (escaping) serializer
        var tree = Build(type, payload);

        foreach (var format in new[] { WebhookFormat.Form, WebhookFormat.Json })
        {
            using var parsed = JsonDocument.Parse(journalText);
            var direct = Payloads.Encode("evt-1", type, Occurred, parsed.RootElement, format).ShouldNotBeNull();
            var expected = WebhookPayloads.Encode(tree, format);
            Encoding.UTF8.GetString(direct.Body).ShouldBe(Encoding.UTF8.GetString(expected.Body));
            direct.ContentType.ShouldBe(expected.ContentType);
        }
    }

    [Fact]
    public void A_batch_written_straight_from_the_journal_texts_is_the_array_of_the_payloads_in_order()
    {
        var open = Enriched(new JsonObject { ["ip"] = "203.0.113.9", ["useragent"] = "Mozilla/5.0 \"x\" Zürich", ["referer"] = null });
        var click = Enriched(new JsonObject { ["ip"] = "2001:db8::1", ["url"] = "https://a/?x=1&y=<2>" });
        var update = ProfileChange("update");
        JournalText Text(string type, JsonObject payload) => new("evt-1", type, Occurred, System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));

        var direct = Payloads.EncodeBatch([Text("open", open), Text("click", click), Text("profile.update", update), Text("attempt", open)]);

        var expected = WebhookPayloads.ToJsonBatch([Build("open", open), Build("click", click), Build("profile.update", update), new JsonObject()]);
        Encoding.UTF8.GetString(direct).ShouldBe(Encoding.UTF8.GetString(expected));
    }

    [Fact]
    public void The_documented_open_written_straight_from_the_journal_text_is_the_documented_form()
    {
        const string journal = """
            {"message":"k3j9x0a1b2c3d4e5","mailing":7,"tags":["spring","sale"],"email":"john@example.com","profile":123,"subprofile":null,
             "database":1,"collection":null,"fields":{"name":"John Doe","mail":"john@example.com"},"interests":["blue"],"ip":"203.0.113.9",
             "useragent":"Mozilla\/5.0","referer":null,"headers":{}}
            """;
        using var parsed = JsonDocument.Parse(journal);
        var body = Payloads.Encode("0194a3c2e1f07d2b9c4e5f6a7b8c9d0e", "open", 1767614400000, parsed.RootElement, WebhookFormat.Form).ShouldNotBeNull().Body;
        Encoding.ASCII.GetString(body).ShouldBe(
            "id=k3j9x0a1b2c3d4e5&type=open&timestamp=2026-01-05+13%3A00%3A00&time=1767614400&recipient=john%40example.com"
            + "&ip=203.0.113.9&useragent=Mozilla%2F5.0&tags%5B%5D=spring&tags%5B%5D=sale&mailing=7&profile=123&database=1"
            + "&fields%5Bname%5D=John+Doe&fields%5Bmail%5D=john%40example.com&interests%5B%5D=blue&event=0194a3c2e1f07d2b9c4e5f6a7b8c9d0e");
    }

    [Theory]
    [InlineData("Az09-_.", "Az09-_.")]
    [InlineData("a b+c&d=e", "a+b%2Bc%26d%3De")]
    [InlineData("Zürich é", "Z%C3%BCrich+%C3%A9")]
    [InlineData("mail 😀!", "mail+%F0%9F%98%80%21")]
    [InlineData("lone \\uD800", "lone+%EF%BF%BD")] // an unpaired surrogate becomes U+FFFD, as in any UTF-8 encoder
    public void Form_values_are_url_encoded_as_php_does_byte_by_byte_of_their_utf8(string value, string expected) =>
        WebhookPayloads.UrlEncode(System.Text.RegularExpressions.Regex.Unescape(value)).ShouldBe(expected);
}

internal static class JsonNumberExtensions
{
    public static long AsLong(this JsonNode node) => long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
