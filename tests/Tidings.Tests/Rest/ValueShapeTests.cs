using System.Text.Json;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 point 9: ids and field values as strings, booleans as booleans, removed false or a timestamp.</summary>
public sealed class ValueShapeTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string Timestamp = @"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$";

    [Fact]
    public async Task Profile_ids_and_field_values_are_strings_and_timestamps_are_copernica_format()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("age", "integer"), ("score", "float"));
        var pid = await client.CreateProfileAsync(db, new { age = 42, score = 1.5 });
        var profile = await client.GetJsonAsync($"/v3/profile/{pid}");
        profile!["ID"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        profile.Str("ID").ShouldBe(pid.S());
        profile.Str("database").ShouldBe(db.S());
        profile["fields"].Str("age").ShouldBe("42");
        profile["fields"].Str("score").ShouldBe("1.5");
        profile.Str("created").ShouldMatch(Timestamp);
        profile.Str("modified").ShouldMatch(Timestamp);
        profile["removed"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        profile.Str("secret").ShouldMatch("^[0-9a-f]{28}$");
    }

    [Fact]
    public async Task Removed_becomes_a_timestamp_and_fields_become_empty_after_delete()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("age", "integer"));
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl", age = 3 });
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);
        var profile = await client.GetJsonAsync($"/v3/profile/{pid}");
        profile.Str("removed").ShouldMatch(Timestamp);
        profile["fields"].Str("email").ShouldBe("");
        profile["fields"].Str("age").ShouldBe("");
    }

    [Fact]
    public async Task Database_and_field_flags_are_json_booleans_and_numbers_in_fields_are_strings()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Shop", archived = true });
        await client.CreateAsync($"/v3/database/{db}/fields", new { name = "bio", type = "big", displayed = true, length = 50, textlines = 4 });
        var json = await client.GetJsonAsync($"/v3/database/{db}");
        json!["archived"]!.GetValueKind().ShouldBe(JsonValueKind.True);
        json.Str("created").ShouldMatch(Timestamp);
        var field = json["fields"]!["data"]![0]!;
        field["displayed"]!.GetValueKind().ShouldBe(JsonValueKind.True);
        field["hidden"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        field["index"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        field.Str("length").ShouldBe("50");
        field.Str("textlines").ShouldBe("4");
        field.Str("ID").ShouldMatch("^[0-9]+$");
    }

    [Fact]
    public async Task Subprofile_has_string_ids_for_itself_its_profile_and_collection()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var pid = await client.CreateProfileAsync(db, new { });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { });
        var json = (await client.GetJsonAsync($"/v3/subprofile/{sid}"))!.AsObject();
        json.Str("ID").ShouldBe(sid.S());
        json.Str("profile").ShouldBe(pid.S());
        json.Str("collection").ShouldBe(collection.S());
        json["removed"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        json.Select(p => p.Key).ShouldBe(["ID", "secret", "fields", "profile", "collection", "created", "modified", "removed"]);
    }

    [Fact]
    public async Task Timestamps_are_written_in_europe_amsterdam_time()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var pid = await client.CreateProfileAsync(db, new { });
        var created = DateTime.ParseExact((await client.GetJsonAsync($"/v3/profile/{pid}")).Str("created"), "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var amsterdam = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime;
        (amsterdam - created).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));
    }
}
