using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>Bad input: always HTTP 400 with a clear message, never a 500, and never a partial write.</summary>
public sealed class BadInputTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Db, long Profile)> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl", name = "Ann" });
        return (client, db, pid);
    }

    private static async Task ShouldBeUntouchedAsync(ApiClient client, long db, long pid)
    {
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Select(x => x!.GetValue<string>()).ShouldBe([pid.S()]);
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).ToJsonString().ShouldBe("{\"email\":\"a@b.nl\",\"name\":\"Ann\"}");
    }

    [Theory]
    [InlineData("{\"fields\":{\"email\":\"x@y.nl\"")]
    [InlineData("{fields:{}}")]
    [InlineData("{\"fields\":{\"email\":\"x@y.nl\"}} trailing")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public async Task Malformed_json_is_refused_and_creates_nothing(string body)
    {
        var (client, db, pid) = await SeedAsync();
        await (await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", body)).ShouldBeCopernicaErrorAsync();
        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{pid}", body)).ShouldBeCopernicaErrorAsync();
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_json_body_is_refused()
    {
        var (client, db, pid) = await SeedAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, client.Url($"/v3/database/{db}/profiles"))
        {
            Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await (await client.Http.SendAsync(request, TestContext.Current.CancellationToken)).ShouldBeCopernicaErrorAsync();
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Theory]
    [InlineData("{\"fields\":\"email\"}")]
    [InlineData("{\"fields\":[\"a@b.nl\"]}")]
    [InlineData("{\"fields\":42}")]
    public async Task Fields_that_is_not_an_object_is_invalid_data_provided(string body)
    {
        var (client, db, pid) = await SeedAsync();
        await (await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", body)).ShouldBeCopernicaErrorAsync("Invalid data provided");
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Theory]
    [InlineData("{\"name\":{\"x\":1}}")]
    [InlineData("{\"name\":[\"Shop2\"]}")]
    [InlineData("{\"name\":null}")]
    [InlineData("{\"name\":\"\"}")]
    [InlineData("{\"name\":\"12345\"}")]
    [InlineData("\"Shop2\"")]
    public async Task Database_name_of_the_wrong_type_or_shape_is_refused(string body)
    {
        var (client, _, _) = await SeedAsync();
        await (await client.SendAsync(HttpMethod.Post, "/v3/databases", body)).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync("/v3/databases"))["total"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Deeply_nested_form_body_is_refused_not_a_server_error()
    {
        var (client, db, pid) = await SeedAsync();
        var key = "interests" + string.Concat(Enumerable.Repeat("[a]", 2000));
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", key + "=1&fields[email]=x@y.nl", "application/x-www-form-urlencoded");
        await response.ShouldBeCopernicaErrorAsync();
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Fact]
    public async Task Invalid_percent_encoding_in_a_form_body_does_not_break_the_server()
    {
        var (client, db, _) = await SeedAsync();
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", "fields[name]=%E0%A4%A&fields[email]=100%", "application/x-www-form-urlencoded");
        ((int)response.StatusCode).ShouldBeOneOf(201, 400);
        if ((int)response.StatusCode == 201) (await client.GetJsonAsync($"/v3/profile/{response.Header("X-Created")}/fields")).Str("email").ShouldBe("100%");
    }

    [Theory]
    [InlineData("fields[]=email")]
    [InlineData("fields[]=name%20Ann")]
    [InlineData("fields[]=%3D%3DAnn")]
    public async Task Filter_without_an_operator_is_refused(string query)
    {
        var (client, db, pid) = await SeedAsync();
        var (status, text) = await client.GetTextAsync($"/v3/database/{db}/profiles?{query}");
        status.ShouldBe(400, text);
        text.ShouldContain("fields");
        await (await client.PutJsonAsync($"/v3/database/{db}/profiles?{query}&create=1", new { fields = new { name = "Bob" } })).ShouldBeCopernicaErrorAsync();
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Theory]
    [InlineData("fields[]=modified>yesterday-ish")]
    [InlineData("fields[]=modified==2024-13-45")]
    [InlineData("fields[]=modified=~2024%25")]
    public async Task Invalid_modified_filter_is_refused(string query)
    {
        var (client, db, pid) = await SeedAsync();
        var (status, text) = await client.GetTextAsync($"/v3/database/{db}/profiles?{query}");
        status.ShouldBe(400, text);
        text.ShouldContain("modified");
        await (await client.PutJsonAsync($"/v3/database/{db}/profiles?{query}", new { fields = new { name = "Bob" } })).ShouldBeCopernicaErrorAsync();
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Fact]
    public async Task Body_over_the_default_4_mib_limit_is_refused()
    {
        var (client, db, pid) = await SeedAsync();
        var body = "{\"fields\":{\"name\":\"" + new string('x', 4 * 1024 * 1024 + 10) + "\"}}";
        var response = await client.SendAsync(HttpMethod.Put, $"/v3/profile/{pid}", body);
        await response.ShouldBeCopernicaErrorAsync();
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("MaxRequestBodyBytes");
        await ShouldBeUntouchedAsync(client, db, pid);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("varchar")]
    [InlineData("")]
    public async Task Invalid_field_type_is_refused(string type)
    {
        var (client, db, _) = await SeedAsync();
        await (await client.PostJsonAsync($"/v3/database/{db}/fields", new { name = "f", type })).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["count"]!.GetValue<long>().ShouldBe(2);
        var name = (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]![1]!.Str("ID");
        await (await client.PutJsonAsync($"/v3/database/{db}/field/{name}", new { type })).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]![1]!.Str("type").ShouldBe("text");
    }

    [Theory]
    [InlineData("id")]
    [InlineData("a==b")]
    [InlineData("x[1]")]
    [InlineData("   ")]
    public async Task Invalid_field_name_is_refused(string name)
    {
        var (client, db, _) = await SeedAsync();
        await (await client.PostJsonAsync($"/v3/database/{db}/fields", new { name, type = "text" })).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["count"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task Duplicate_names_are_refused_case_insensitively()
    {
        var (client, db, _) = await SeedAsync();
        await (await client.PostJsonAsync("/v3/databases", new { name = "SHOP" })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync($"/v3/database/{db}/fields", new { name = "Email", type = "text" })).ShouldBeCopernicaErrorAsync();
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        await (await client.PostJsonAsync($"/v3/database/{db}/interests", new { name = "GOLF" })).ShouldBeCopernicaErrorAsync();
        var orders = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await (await client.PostJsonAsync($"/v3/database/{db}/collections", new { name = "orders" })).ShouldBeCopernicaErrorAsync();
        var other = await client.CreateAsync("/v3/databases", new { name = "Other" });
        await (await client.PutJsonAsync($"/v3/database/{other}", new { name = "shop" })).ShouldBeCopernicaErrorAsync();
        var returns = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Returns" });
        await (await client.PutJsonAsync($"/v3/collection/{returns}", new { name = "ORDERS" })).ShouldBeCopernicaErrorAsync();

        (await client.GetJsonAsync("/v3/databases"))["total"]!.GetValue<long>().ShouldBe(2);
        (await client.GetJsonAsync($"/v3/database/{other}")).Str("name").ShouldBe("Other");
        (await client.GetJsonAsync($"/v3/collection/{returns}")).Str("name").ShouldBe("Returns");
        (await client.GetJsonAsync($"/v3/database/{db}/interests"))["count"]!.GetValue<long>().ShouldBe(1);
        (await client.GetJsonAsync($"/v3/database/{db}/collections")).DataIds().ShouldBe([orders.S(), returns.S()]);
    }

    [Theory]
    [InlineData("/v3/profile/99999999999999999999999")]
    [InlineData("/v3/profile/-1")]
    [InlineData("/v3/subprofile/1.5")]
    [InlineData("/v3/collection/0")]
    [InlineData("/v3/interest/abc")]
    public async Task Unparseable_or_unknown_ids_are_copernica_errors(string path)
    {
        var client = await app.NewAccountAsync();
        await (await client.SendAsync(path.Contains("interest", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Get, path, "{}")).ShouldBeCopernicaErrorAsync();
    }

    [Theory]
    [InlineData("limit=99999999999999999999999")]
    [InlineData("start=99999999999999999999999")]
    [InlineData("start=abc&limit=xyz")]
    [InlineData("orderby=id;DROP TABLE journal&order=desc")]
    public async Task Odd_paging_and_ordering_values_never_cause_a_server_error(string query)
    {
        var (client, db, _) = await SeedAsync();
        var (status, text) = await client.GetTextAsync($"/v3/database/{db}/profiles?{query}");
        status.ShouldBe(200, text);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM journal")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Oversized_bulk_delete_list_is_refused_without_removing_anything()
    {
        var (client, db, pid) = await SeedAsync();
        var ids = string.Join(',', Enumerable.Repeat(pid, 10_001));
        await (await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", "{\"profiles\":[" + ids + "]}")).ShouldBeCopernicaErrorAsync();
        await ShouldBeUntouchedAsync(client, db, pid);
    }
}
