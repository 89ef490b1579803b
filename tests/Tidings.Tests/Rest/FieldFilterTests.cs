using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Checklist §4 point 8: the <c>fields</c> filter in every encoding clients use, every operator, special fields.</summary>
public sealed class FieldFilterTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private sealed record Data(ApiClient Client, long Db, long Ann, long Bob, long Cid);

    private async Task<Data> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"), ("age", "integer"), ("score", "float"), ("born", "date"));
        var ann = await client.CreateProfileAsync(db, new { email = "ann@b.nl", name = "Ann", age = 16, score = 1.5, born = "2000-01-01" });
        var bob = await client.CreateProfileAsync(db, new { email = "bob@b.nl", name = "Bob", age = 30, score = 7.25, born = "1990-06-15" });
        var cid = await client.CreateProfileAsync(db, new { email = "cid@c.com", name = "", age = 45, score = 10, born = "1980-12-31" });
        return new Data(client, db, ann, bob, cid);
    }

    private static async Task<List<string>> IdsAsync(Data d, string query) =>
        (await d.Client.GetJsonAsync($"/v3/database/{d.Db}/profiles?{query}")).DataIds();

    [Theory]
    [InlineData("fields[]=email%3D%3Dbob%40b.nl")]
    [InlineData("fields[0]=email%3D%3Dbob%40b.nl")]
    [InlineData("fields%5B0%5D=email%3D%3Dbob%40b.nl")]
    [InlineData("fields%5B%5D=email%3D%3Dbob%40b.nl")]
    [InlineData("fields[]=email==bob@b.nl")]
    [InlineData("fields[7]=email==bob@b.nl&limit=100")]
    public async Task Fields_filter_is_read_in_every_encoding(string query)
    {
        var d = await SeedAsync();
        (await IdsAsync(d, query)).ShouldBe([d.Bob.S()]);
    }

    [Fact]
    public async Task Fields_parameter_name_is_case_sensitive()
    {
        var d = await SeedAsync();
        (await IdsAsync(d, "FIELDS[]=age>40&fields[]=name==Bob")).ShouldBe([d.Bob.S()]);
    }

    [Theory]
    [InlineData("fields[]=", 3)]
    [InlineData("fields[]=&fields[]=", 3)]
    [InlineData("fields%5B0%5D=", 3)]
    [InlineData("fields[]=%20%20", 3)]
    [InlineData("fields[]=&fields[]=age>40", 1)]
    [InlineData("fields[0]=age<40&fields[1]=", 2)]
    public async Task Empty_fields_entries_are_ignored(string query, int expected)
    {
        var d = await SeedAsync();
        (await IdsAsync(d, query)).Count.ShouldBe(expected);
        (await d.Client.GetJsonAsync($"/v3/database/{d.Db}/profiles?{query}&total=true"))!["total"]!.GetValue<long>().ShouldBe(expected);
    }

    [Fact]
    public async Task Empty_fields_entries_do_not_satisfy_a_bulk_put_that_needs_conditions()
    {
        var d = await SeedAsync();
        var response = await d.Client.PutJsonAsync($"/v3/database/{d.Db}/profiles?fields[]=&fields%5B1%5D=", new { fields = new { name = "Everyone" } });
        await response.ShouldBeCopernicaErrorAsync("URL parameter fields is required");
        (await IdsAsync(d, "fields[]=name==Everyone")).ShouldBeEmpty();
        await (await d.Client.PutJsonAsync($"/v3/database/{d.Db}/profiles?fields[]=&fields[]=name==Bob", new { fields = new { age = 31 } })).ShouldHaveStatusAsync(204);
        (await IdsAsync(d, "fields[]=age==31")).ShouldBe([d.Bob.S()]);
    }

    [Fact]
    public async Task Fields_as_a_plain_parameter_is_ignored()
    {
        var d = await SeedAsync();
        (await IdsAsync(d, "fields=email==bob@b.nl")).Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("age==30", "B")]
    [InlineData("age!=30", "AC")]
    [InlineData("age<>30", "AC")]
    [InlineData("age<30", "A")]
    [InlineData("age>30", "C")]
    [InlineData("age<=30", "AB")]
    [InlineData("age>=30", "BC")]
    [InlineData("email=~%@b.nl", "AB")]
    [InlineData("email!~%@b.nl", "C")]
    [InlineData("name=~_o_", "B")]
    [InlineData("score>7", "BC")]
    [InlineData("score<=1.5", "A")]
    [InlineData("born<1995-01-01", "BC")]
    [InlineData("name==", "C")]
    [InlineData("name>=Bob", "B")]
    public async Task Every_operator_filters_raw_values(string condition, string expected)
    {
        var d = await SeedAsync();
        var byLetter = new Dictionary<char, string> { ['A'] = d.Ann.S(), ['B'] = d.Bob.S(), ['C'] = d.Cid.S() };
        (await IdsAsync(d, "fields[]=" + condition)).ShouldBe(expected.Select(c => byLetter[c]).ToList());
        (await IdsAsync(d, "fields%5B0%5D=" + Uri.EscapeDataString(condition))).ShouldBe(expected.Select(c => byLetter[c]).ToList());
    }

    [Fact]
    public async Task Field_names_match_case_insensitively()
    {
        var d = await SeedAsync();
        (await IdsAsync(d, "fields[]=EMAIL==ann@b.nl")).ShouldBe([d.Ann.S()]);
        (await IdsAsync(d, "fields[]=Age>40")).ShouldBe([d.Cid.S()]);
    }

    [Fact]
    public async Task Conditions_are_anded_even_on_the_same_field()
    {
        var d = await SeedAsync();
        (await IdsAsync(d, "fields[]=age>10&fields[]=age<40")).ShouldBe([d.Ann.S(), d.Bob.S()]);
        (await IdsAsync(d, "fields[0]=age>10&fields[1]=age<40&fields[2]=email=~%b.nl&fields[3]=name==Bob")).ShouldBe([d.Bob.S()]);
    }

    [Fact]
    public async Task Conditions_on_unknown_fields_are_ignored()
    {
        var d = await SeedAsync();
        (await IdsAsync(d, "fields[]=nosuchfield==1&fields[]=age>20")).ShouldBe([d.Bob.S(), d.Cid.S()]);
    }

    [Fact]
    public async Task Total_reflects_the_filter()
    {
        var d = await SeedAsync();
        var json = await d.Client.GetJsonAsync($"/v3/database/{d.Db}/profiles?fields[]=age>20&limit=1");
        json!["count"]!.GetValue<long>().ShouldBe(1);
        json["total"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task Special_field_id_filters_on_the_profile_id()
    {
        var d = await SeedAsync();
        (await IdsAsync(d, $"fields[]=id>={d.Bob}")).ShouldBe([d.Bob.S(), d.Cid.S()]);
        (await IdsAsync(d, $"fields[]=ID=={d.Ann}")).ShouldBe([d.Ann.S()]);
    }

    [Fact]
    public async Task Special_field_code_filters_on_the_secret()
    {
        var d = await SeedAsync();
        var secret = (await d.Client.GetJsonAsync($"/v3/profile/{d.Cid}")).Str("secret");
        (await IdsAsync(d, $"fields[]=code=={secret}")).ShouldBe([d.Cid.S()]);
    }

    [Fact]
    public async Task Special_field_modified_filters_on_the_modification_time()
    {
        var d = await SeedAsync();
        var modified = (await d.Client.GetJsonAsync($"/v3/profile/{d.Ann}")).Str("modified");
        (await IdsAsync(d, "fields[]=" + Uri.EscapeDataString("modified>=" + modified))).Count.ShouldBe(3);
        (await IdsAsync(d, "fields[]=modified>2999-01-01 00:00:00")).ShouldBeEmpty();
        (await IdsAsync(d, "fields[]=modified<2000-01-01")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Collection_subprofiles_are_filtered_too()
    {
        var d = await SeedAsync();
        var collection = await d.Client.CreateAsync($"/v3/database/{d.Db}/collections", new { name = "Orders" });
        await d.Client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "total", type = "float" });
        var small = await d.Client.CreateAsync($"/v3/profile/{d.Ann}/subprofiles/{collection}", new { total = 5 });
        var large = await d.Client.CreateAsync($"/v3/profile/{d.Ann}/subprofiles/{collection}", new { total = 500 });
        (await d.Client.GetJsonAsync($"/v3/collection/{collection}/subprofiles?fields[]=TOTAL>100")).DataIds().ShouldBe([large.S()]);
        (await d.Client.GetJsonAsync($"/v3/profile/{d.Ann}/subprofiles/{collection}?fields%5B0%5D=total%3C100")).DataIds().ShouldBe([small.S()]);
    }

    [Fact]
    public async Task A_real_field_named_modified_wins_over_the_special_field()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("modified", "text"));
        var yes = await client.CreateProfileAsync(db, new { modified = "yes" });
        await client.CreateProfileAsync(db, new { modified = "no" });
        (await client.GetJsonAsync($"/v3/database/{db}/profiles?fields[]=modified==yes")).DataIds().ShouldBe([yes.S()]);
    }
}
