using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Tracking;

namespace Tidings.Tests.Tracking;

public sealed class TrackingTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_open_answers_a_transparent_gif_and_records_an_enriched_open_event()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
        var destination = scenario.Destinations[1];

        var request = new HttpRequestMessage(HttpMethod.Get, destination.OpenUrl);
        request.Headers.UserAgent.ParseAdd("TestMail/1.0");
        request.Headers.Referrer = new Uri("https://webmail.example/inbox");
        request.Headers.Add("X-Custom", "hello");
        request.Headers.Add("Cookie", "session=secret");
        var response = await client.Http.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/gif");
        response.Headers.NonValidated["Cache-Control"].ToString().ShouldBe("no-store, no-cache, must-revalidate, private");
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        body.Length.ShouldBe(43);
        body.ShouldBe(TrackingEndpoints.Pixel.ToArray());

        var open = (await EventsAsync(client.AccountId, "open")).ShouldHaveSingleItem();
        open["message"]!.GetValue<string>().ShouldBe(destination.MessageId);
        open["destination"]!.GetValue<long>().ShouldBe(destination.Id);
        open["mailing"]!.GetValue<long>().ShouldBe(scenario.MailingId);
        open["email"]!.GetValue<string>().ShouldBe(destination.Email);
        open["profile"]!.GetValue<long>().ShouldBe(destination.ProfileId);
        open["fields"]!["firstname"]!.GetValue<string>().ShouldBe("Person1");
        open["fields"]!["city"]!.GetValue<string>().ShouldBe("Utrecht");
        open["interests"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe(["news"]);
        open["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["promo", "november"]);
        open["useragent"]!.GetValue<string>().ShouldBe("TestMail/1.0");
        open["referer"]!.GetValue<string>().ShouldBe("https://webmail.example/inbox");
        open.AsObject().ContainsKey("ip").ShouldBeTrue();
        var headers = open["headers"]!.AsObject();
        headers["X-Custom"]!.GetValue<string>().ShouldBe("hello");
        headers["User-Agent"]!.GetValue<string>().ShouldBe("TestMail/1.0");
        headers.ContainsKey("Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task An_open_of_an_unknown_token_gets_the_same_gif_and_records_nothing()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var known = await client.Http.GetAsync(scenario.Destinations[0].OpenUrl, Ct);

        foreach (var path in new[] { "/t/o/AAAAAAAAAAAAAAAAAAAAAA.gif", "/t/o/not a token.gif", "/t/o/" + new string('x', 500) + ".gif", "/t/o/.gif" })
        {
            var unknown = await client.Http.GetAsync(path, Ct);
            unknown.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            (await unknown.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(await known.Content.ReadAsByteArrayAsync(Ct));
            unknown.Content.Headers.ContentType!.ToString().ShouldBe(known.Content.Headers.ContentType!.ToString());
            unknown.Headers.CacheControl!.ToString().ShouldBe(known.Headers.CacheControl!.ToString());
        }

        (await CountAsync("SELECT COUNT(*) FROM journal WHERE type IN ('open', 'click') AND (account_id = @AccountId OR destination_id IS NULL)", new { client.AccountId })).ShouldBe(1);
    }

    [Fact]
    public async Task A_click_redirects_to_exactly_the_stored_link_and_records_url_and_link_index()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await http.GetAsync(scenario.Destinations[0].ClickUrls[1], Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        response.Headers.Location!.OriginalString.ShouldBe(MailingScenario.Links[1]);
        var click = (await EventsAsync(client.AccountId, "click")).ShouldHaveSingleItem();
        click["url"]!.GetValue<string>().ShouldBe(MailingScenario.Links[1]);
        click["link"]!.GetValue<int>().ShouldBe(1);
        click["message"]!.GetValue<string>().ShouldBe(scenario.Destinations[0].MessageId);
        click["email"]!.GetValue<string>().ShouldBe(scenario.Destinations[0].Email);
        click.AsObject().ContainsKey("headers").ShouldBeTrue();
    }

    [Fact]
    public async Task A_click_with_a_smuggled_target_still_redirects_only_to_the_stored_link()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var click = scenario.Destinations[0].ClickUrls[0];

        foreach (var path in new[] { click + "?url=https://evil.example", click + "?redirect=https%3A%2F%2Fevil.example&link=1", click + "#https://evil.example" })
        {
            var response = await http.GetAsync(path, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Found, path);
            response.Headers.Location!.OriginalString.ShouldBe(MailingScenario.Links[0]);
        }

        (await EventsAsync(client.AccountId, "click")).ShouldAllBe(c => c["url"]!.GetValue<string>() == MailingScenario.Links[0]);
    }

    [Fact]
    public async Task A_click_with_an_unknown_token_or_link_index_answers_a_safe_404_page_and_records_nothing()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = scenario.Destinations[0].Token;

        foreach (var path in new[] { $"/t/c/{token}/2", $"/t/c/{token}/99", $"/t/c/{token}/-1", "/t/c/AAAAAAAAAAAAAAAAAAAAAA/0", "/t/c/%3Cscript%3E/0", $"/t/c/{token}/0x1" })
        {
            var response = await http.GetAsync(path, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Headers.Location.ShouldBeNull(path);
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (text.Length > 0)
            {
                response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html", path);
                text.ShouldNotContain("script");
            }
        }

        (await EventsAsync(client.AccountId, "click")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stored_link_with_non_ascii_characters_redirects_to_its_escaped_form()
    {
        var client = await app.NewAccountAsync();
        var database = await client.CreateDatabaseAsync("Unicode" + Guid.NewGuid().ToString("N")[..8], ("email", "email"));
        await client.CreateAsync($"/v3/database/{database}/profiles", new { fields = new { email = "a@example.com" } });
        var mailing = await client.CreateAsync("/v3/ms/emailing", new { target = database, targettype = "database", links = new[] { "https://bücher.example/straße?q=ä b" } });
        await MailingScenario.WaitUntilPreparedAsync(client, mailing);
        var page = await client.GetJsonAsync($"/v3/ms/emailing/{mailing}/destinations");
        var clickUrl = new Uri(page!["data"]![0]!["tracking"]!["links"]![0]!["tracked"]!.GetValue<string>()).PathAndQuery;
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await http.GetAsync(clickUrl, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        response.Headers.Location!.AbsoluteUri.ShouldBe(new Uri("https://bücher.example/straße?q=ä b").AbsoluteUri);
        (await EventsAsync(client.AccountId, "click")).ShouldHaveSingleItem()["url"]!.GetValue<string>().ShouldBe("https://bücher.example/straße?q=ä b");
    }

    [Fact]
    public async Task Head_requests_get_the_same_answers_without_a_body()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var open = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, scenario.Destinations[0].OpenUrl), Ct);
        open.StatusCode.ShouldBe(HttpStatusCode.OK);
        open.Content.Headers.ContentType!.MediaType.ShouldBe("image/gif");
        open.Content.Headers.ContentLength.ShouldBe(43);
        (await open.Content.ReadAsByteArrayAsync(Ct)).ShouldBeEmpty();

        var click = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, scenario.Destinations[0].ClickUrls[0]), Ct);
        click.StatusCode.ShouldBe(HttpStatusCode.Found);
        click.Headers.Location!.OriginalString.ShouldBe(MailingScenario.Links[0]);

        var unknown = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/t/c/AAAAAAAAAAAAAAAAAAAAAA/0"), Ct);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_null_pixel_is_not_served_unless_enabled()
    {
        var response = await app.CreateClient().GetAsync("/t/null.gif", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<List<JsonNode>> EventsAsync(long accountId, string type)
    {
        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        var rows = await connection.QueryAsync<string>("SELECT payload FROM journal WHERE account_id = @accountId AND type = @type ORDER BY seq", new { accountId, type });
        return rows.Select(r => JsonNode.Parse(r)!).ToList();
    }

    private async Task<long> CountAsync(string sql, object parameters)
    {
        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }
}
