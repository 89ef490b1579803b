using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>The server on a configured small <c>Rest:MaxRequestBodyBytes</c>.</summary>
public sealed class SmallBodyApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["Rest:MaxRequestBodyBytes"] = "2048" };
}

public sealed class SmallBodyLimitTests(SmallBodyApp app) : IClassFixture<SmallBodyApp>
{
    [Fact]
    public async Task Body_over_the_configured_limit_is_refused_and_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var response = await client.PostJsonAsync($"/v3/database/{db}/profiles", new { fields = new { name = new string('x', 3000) } });
        await response.ShouldBeCopernicaErrorAsync();
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("2048");
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(0);
        await client.CreateProfileAsync(db, new { name = new string('x', 1500) });
    }

    [Fact]
    public async Task Body_without_content_length_is_cut_off_at_the_limit()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var request = new HttpRequestMessage(HttpMethod.Post, client.Url($"/v3/database/{db}/profiles"))
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"fields\":{\"name\":\"" + new string('y', 5000) + "\"}}"))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        await (await client.Http.SendAsync(request, TestContext.Current.CancellationToken)).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(0);
    }
}
