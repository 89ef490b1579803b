using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>§1.10: Copernica never rejects a field value, it converts it to the field's type.</summary>
public sealed class ValueNormalisationTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<string> StoredAsync(string type, string jsonValue, string? choices = null)
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Shop" });
        await client.CreateAsync($"/v3/database/{db}/fields", choices is null ? new { name = "f", type } : (object)new { name = "f", type, value = choices });
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", "{\"fields\":{\"f\":" + jsonValue + "}}");
        await response.ShouldHaveStatusAsync(201);
        return (await client.GetJsonAsync($"/v3/profile/{response.Header("X-Created")}/fields")).Str("f");
    }

    [Theory]
    [InlineData("\"42x\"", "42")]
    [InlineData("\"abc\"", "0")]
    [InlineData("true", "1")]
    [InlineData("false", "0")]
    [InlineData("\"true\"", "0")]
    [InlineData("-7", "-7")]
    [InlineData("\" 12\"", "12")]
    [InlineData("3.9", "3")]
    [InlineData("null", "0")]
    [InlineData("[1,2]", "1")]
    public async Task Integer_fields_take_the_php_integer_cast(string input, string expected) =>
        (await StoredAsync("integer", input)).ShouldBe(expected);

    [Theory]
    [InlineData("\"1.5abc\"", "1.5")]
    [InlineData("\"abc\"", "0")]
    [InlineData("2", "2")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("true", "1")]
    public async Task Float_fields_take_the_php_float_cast(string input, string expected) =>
        (await StoredAsync("float", input)).ShouldBe(expected);

    [Theory]
    [InlineData("date", "\"2024-02-29\"", "2024-02-29")]
    [InlineData("date", "\"2024-02-29 13:14:15\"", "2024-02-29")]
    [InlineData("date", "\"not a date\"", "0000-00-00")]
    [InlineData("date", "\"\"", "0000-00-00")]
    [InlineData("date", "\"-2020-01-01\"", "0000-00-00")]
    [InlineData("empty_date", "\"nonsense\"", "")]
    [InlineData("empty_date", "\"2021-07-04\"", "2021-07-04")]
    [InlineData("datetime", "\"2024-02-29 13:14:15\"", "2024-02-29 13:14:15")]
    [InlineData("datetime", "\"2024-02-29\"", "2024-02-29 00:00:00")]
    [InlineData("datetime", "\"garbage\"", "0000-00-00 00:00:00")]
    [InlineData("empty_datetime", "\"garbage\"", "")]
    public async Task Date_fields_are_parsed_and_invalid_input_becomes_the_zero_or_empty_date(string type, string input, string expected) =>
        (await StoredAsync(type, input)).ShouldBe(expected);

    [Theory]
    [InlineData("\"red\"", "red")]
    [InlineData("\"Red\"", "")]
    [InlineData("\"purple\"", "")]
    [InlineData("\"red \"", "")]
    public async Task Select_fields_keep_only_an_exact_choice(string input, string expected) =>
        (await StoredAsync("select", input, "red\r\ngreen\r\nblue")).ShouldBe(expected);

    [Theory]
    [InlineData("12", "12")]
    [InlineData("1.5", "1.5")]
    [InlineData("true", "1")]
    [InlineData("false", "")]
    [InlineData("{\"a\":1}", "")]
    [InlineData("\"  spaced  \"", "  spaced  ")]
    public async Task Text_fields_take_the_string_form_of_scalars(string input, string expected) =>
        (await StoredAsync("text", input)).ShouldBe(expected);

    [Fact]
    public async Task Email_is_stored_as_given_without_validation() =>
        (await StoredAsync("email", "\"not-an-email\"")).ShouldBe("not-an-email");

    [Fact]
    public async Task Field_defaults_apply_to_new_profiles()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Shop" });
        await client.CreateAsync($"/v3/database/{db}/fields", new { name = "country", type = "text", value = "NL" });
        await client.CreateAsync($"/v3/database/{db}/fields", new { name = "colour", type = "select", value = "green\r\nred" });
        await client.CreateAsync($"/v3/database/{db}/fields", new { name = "n", type = "integer", value = "5" });
        var pid = await client.CreateProfileAsync(db, new { });
        var fields = (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).AsObject();
        fields.ToJsonString().ShouldBe(new JsonObject { ["country"] = "NL", ["colour"] = "green", ["n"] = "5" }.ToJsonString());
    }
}
