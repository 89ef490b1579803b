using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 point 7: list wrapper, key order, default and maximum limit, total=false, odd values echoed.</summary>
public sealed class PagingTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Db, List<long> Ids)> DatabaseWithProfilesAsync(int count)
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("n", "integer"));
        var ids = new List<long>();
        for (var i = 0; i < count; i += 20)
        {
            var batch = Enumerable.Range(i, Math.Min(20, count - i)).Select(n => client.CreateProfileAsync(db, new { n }));
            ids.AddRange(await Task.WhenAll(batch));
        }

        ids.Sort();
        return (client, db, ids);
    }

    [Fact]
    public async Task List_keys_come_in_copernicas_order_start_limit_count_data_total()
    {
        var (client, db, _) = await DatabaseWithProfilesAsync(2);
        var json = (await client.GetJsonAsync($"/v3/database/{db}/profiles"))!.AsObject();
        json.Select(p => p.Key).ShouldBe(["start", "limit", "count", "data", "total"]);
        json["start"]!.GetValue<long>().ShouldBe(0);
        json["count"]!.GetValue<long>().ShouldBe(2);
        json["total"]!.GetValue<long>().ShouldBe(2);
        (await client.GetJsonAsync("/v3/databases"))!.AsObject().Select(p => p.Key).ShouldBe(["start", "limit", "count", "data", "total"]);
    }

    [Fact]
    public async Task Default_limit_is_100_and_limit_above_1000_is_clamped()
    {
        var (client, db, ids) = await DatabaseWithProfilesAsync(105);
        var page = await client.GetJsonAsync($"/v3/database/{db}/profiles");
        page!["limit"]!.GetValue<long>().ShouldBe(100);
        page["count"]!.GetValue<long>().ShouldBe(100);
        page["total"]!.GetValue<long>().ShouldBe(105);

        var big = await client.GetJsonAsync($"/v3/database/{db}/profiles?limit=5000");
        big!["limit"]!.GetValue<long>().ShouldBe(1000);
        big["count"]!.GetValue<long>().ShouldBe(105);

        var next = await client.GetJsonAsync($"/v3/database/{db}/profiles?start=100&limit=10");
        next.DataIds().ShouldBe(ids.Skip(100).Select(i => i.S()).ToList());
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("no")]
    public async Task Total_false_omits_the_total_key(string value)
    {
        var (client, db, _) = await DatabaseWithProfilesAsync(1);
        var json = (await client.GetJsonAsync($"/v3/database/{db}/profiles?total={value}&limit=1"))!.AsObject();
        json.Select(p => p.Key).ShouldBe(["start", "limit", "count", "data"]);
    }

    [Theory]
    [InlineData("total=yes")]
    [InlineData("total=TRUE")]
    [InlineData("total=1")]
    [InlineData("")]
    public async Task Total_is_present_unless_switched_off(string query)
    {
        var (client, db, _) = await DatabaseWithProfilesAsync(1);
        (await client.GetJsonAsync($"/v3/database/{db}/profiles?{query}"))["total"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Negative_start_is_echoed_with_no_items_and_the_total()
    {
        var (client, db, _) = await DatabaseWithProfilesAsync(4);
        var (_, body) = await client.GetTextAsync($"/v3/database/{db}/profiles?start=-2");
        body.ShouldBe("{\"start\":-2,\"limit\":100,\"count\":0,\"data\":[],\"total\":4}");
    }

    [Fact]
    public async Task Negative_limit_is_echoed_with_no_items()
    {
        var (client, db, _) = await DatabaseWithProfilesAsync(2);
        var json = await client.GetJsonAsync($"/v3/database/{db}/profiles?limit=-2");
        json!["limit"]!.GetValue<long>().ShouldBe(-2);
        json["count"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Parameter_names_are_case_sensitive()
    {
        var (client, db, _) = await DatabaseWithProfilesAsync(3);
        var json = await client.GetJsonAsync($"/v3/database/{db}/profiles?LIMIT=1&starT=2");
        json!["limit"]!.GetValue<long>().ShouldBe(100);
        json["start"]!.GetValue<long>().ShouldBe(0);
        json["count"]!.GetValue<long>().ShouldBe(3);
    }

    [Fact]
    public async Task Profileids_and_subprofileids_are_bare_arrays_of_strings()
    {
        var (client, db, ids) = await DatabaseWithProfilesAsync(3);
        var (_, body) = await client.GetTextAsync($"/v3/database/{db}/profileids");
        body.ShouldBe("[" + string.Join(',', ids.Select(i => $"\"{i}\"")) + "]");

        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var s1 = await client.CreateAsync($"/v3/profile/{ids[0]}/subprofiles/{collection}", new { });
        var s2 = await client.CreateAsync($"/v3/profile/{ids[1]}/subprofiles/{collection}", new { });
        var sub = (await client.GetJsonAsync($"/v3/collection/{collection}/subprofileids"))!.AsArray();
        sub.Select(x => x!.GetValue<string>()).ShouldBe([s1.S(), s2.S()]);
    }

    [Fact]
    public async Task Profileids_leave_out_removed_profiles()
    {
        var (client, db, ids) = await DatabaseWithProfilesAsync(2);
        await (await client.DeleteAsync($"/v3/profile/{ids[0]}")).ShouldHaveStatusAsync(204);
        var list = (await client.GetJsonAsync($"/v3/database/{db}/profileids"))!.AsArray();
        list.Select(x => x!.GetValue<string>()).ShouldBe([ids[1].S()]);
    }

    [Fact]
    public async Task Nested_lists_inside_a_database_use_the_same_wrapper()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("age", "integer"));
        var fields = (await client.GetJsonAsync($"/v3/database/{db}"))!["fields"]!.AsObject();
        fields.Select(p => p.Key).ShouldBe(["start", "limit", "count", "data", "total"]);
        fields["count"]!.GetValue<long>().ShouldBe(2);
        fields["total"]!.GetValue<long>().ShouldBe(2);
        fields["data"]!.AsArray().Select(f => f!.Str("name")).ShouldBe(["email", "age"]);
    }
}
