using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Accounts;

public sealed class IdentityTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Identity_returns_the_account_of_the_token_with_exact_json_content_type()
    {
        var client = await app.NewAccountAsync("Webshop");
        var response = await client.GetAsync("/v3/identity");
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
        var json = await client.GetJsonAsync("/v3/identity");
        json!["id"]!.GetValue<string>().ShouldBe(client.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        json["name"]!.GetValue<string>().ShouldBe("Webshop");
    }

    [Fact]
    public async Task Unknown_token_gets_copernica_invalid_access_token_error()
    {
        var client = await app.NewAccountAsync();
        var response = await client.Http.GetAsync("/v3/identity?access_token=0123456789abcdef", TestContext.Current.CancellationToken);
        await response.ShouldBeCopernicaErrorAsync("Invalid access token");
    }
}
