using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Field lists are cached in memory; every field change must be visible to the very next profile request.</summary>
public sealed class FieldChangeTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Profiles_see_fields_added_renamed_and_removed_right_away()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Changes", ("email", "email"), ("city", "text"));
        await client.CreateAsync($"/v3/database/{db}/profiles", new { fields = new { email = "a@example.org", city = "Utrecht" } });

        var age = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "age", type = "integer" });
        var second = await client.CreateAsync($"/v3/database/{db}/profiles", new { fields = new { email = "b@example.org", age = 42 } });
        (await client.GetJsonAsync($"/v3/profile/{second}"))!["fields"]!["age"]!.GetValue<string>().ShouldBe("42");

        (await client.SendAsync(HttpMethod.Put, $"/v3/database/{db}/field/{age}", """{"name":"years"}""")).IsSuccessStatusCode.ShouldBeTrue();
        var third = await client.CreateAsync($"/v3/database/{db}/profiles", new { fields = new { email = "c@example.org", years = 7 } });
        (await client.GetJsonAsync($"/v3/profile/{third}"))!["fields"]!["years"]!.GetValue<string>().ShouldBe("7");

        var fields = (await client.GetJsonAsync($"/v3/database/{db}/fields"))!["data"]!.AsArray();
        var city = fields.Single(f => f!["name"]!.GetValue<string>() == "city")!["ID"]!.GetValue<string>();
        (await client.DeleteAsync($"/v3/database/{db}/field/{city}")).IsSuccessStatusCode.ShouldBeTrue();
        var fourth = await client.CreateAsync($"/v3/database/{db}/profiles", new { fields = new { email = "d@example.org", city = "ignored" } });
        var profile = (await client.GetJsonAsync($"/v3/profile/{fourth}"))!["fields"]!.AsObject();
        profile.ContainsKey("city").ShouldBeFalse();
        profile["email"]!.GetValue<string>().ShouldBe("d@example.org");
    }

    [Fact]
    public async Task Equality_filter_on_an_indexed_field_pages_in_id_order_with_total_and_skips_removed_profiles()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Indexed" });
        await client.CreateAsync($"/v3/database/{db}/fields", new { name = "city", type = "text", index = true });
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await client.CreateAsync($"/v3/database/{db}/profiles", new { fields = new { city = i % 2 == 0 ? "Utrecht" : "Breda" } }));
        }

        (await client.DeleteAsync($"/v3/profile/{ids[0]}")).IsSuccessStatusCode.ShouldBeTrue();
        var page = await client.GetJsonAsync($"/v3/database/{db}/profiles?fields[]=city==utrecht&limit=3&start=1");
        page!["total"]!.ToString().ShouldBe("5");
        page["data"]!.AsArray().Select(p => long.Parse(p!["ID"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe([ids[4], ids[6], ids[8]]);
    }
}
