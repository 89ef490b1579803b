using System.Net;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Statistics;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The home page's live stream over real HTTP (Kestrel): server-sent events of the signed-in account's events per
/// second, only that account's, for signed-in users only.
/// </summary>
public sealed class DashboardLiveEventsTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client on the server's socket that keeps cookies and does not follow redirects.</summary>
    private DashboardBrowser OpenOverHttp()
    {
        var cookies = new CookieContainer();
        var handler = new CookieHandler(cookies) { InnerHandler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false } };
        return new DashboardBrowser(new HttpClient(handler) { BaseAddress = app.BaseAddress, Timeout = Timeout.InfiniteTimeSpan }, cookies);
    }

    private async Task<DashboardBrowser> SignedInAsync(long accountId)
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, accountId: accountId);
        var browser = OpenOverHttp();
        ((int)(await browser.SignInAsync(user.Email, password)).StatusCode).ShouldBe(302);
        return browser;
    }

    /// <summary>The stream's messages as they come: (second, events).</summary>
    private static async IAsyncEnumerable<(long Second, long Events)> MessagesAsync(HttpResponseMessage response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var json = JsonNode.Parse(line["data: ".Length..])!;
            yield return (json["second"]!.GetValue<long>(), json["events"]!.GetValue<long>());
        }
    }

    private static async Task<HttpResponseMessage> StreamAsync(DashboardBrowser browser)
    {
        var response = await browser.Http.GetAsync("/dashboard/live/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return response;
    }

    [Fact]
    public async Task The_stream_counts_an_ingested_open_within_seconds_for_its_account_only()
    {
        var client = await app.NewAccountAsync("Live");
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var events = new StatisticsEvents(app, client);
        await events.CountedAsync(); // the mail attempts are counted before the stream starts
        var browser = await SignedInAsync(client.AccountId);
        var stranger = await SignedInAsync((await app.NewAccountAsync("Quiet")).AccountId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));

        using var response = await StreamAsync(browser);
        var messages = MessagesAsync(response, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var history = 0;
        while (history < 60 && await messages.MoveNextAsync()) history++;
        history.ShouldBe(60, "a minute of history first");
        // The second in progress when the stream began may still hold the mail attempts counted just before it: wait
        // for its message, so that every later second holds only what happens from here on.
        (await messages.MoveNextAsync()).ShouldBeTrue();
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await events.OpenAsync(scenario.Destinations[0], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await events.CountedAsync();
        long counted = 0;
        var live = new List<(long Second, long Events)>();
        while (counted == 0 && await messages.MoveNextAsync())
        {
            live.Add(messages.Current);
            counted = messages.Current.Events;
        }

        counted.ShouldBe(1, "the open, in the second it was counted");
        live.Select(m => m.Second).ShouldBe(Enumerable.Range(0, live.Count).Select(i => live[0].Second + i), "a message per second, in order");
        live[^1].Second.ShouldBeGreaterThanOrEqualTo(started - 1);
        await messages.DisposeAsync();

        // The other account's stream begins with the same minute of history: none of it is this account's open.
        using var quiet = await StreamAsync(stranger);
        var seen = new List<(long Second, long Events)>();
        await foreach (var m in MessagesAsync(quiet, timeout.Token))
        {
            seen.Add(m);
            if (seen.Count == 61) break;
        }

        seen.Select(m => m.Second).ShouldContain(live[^1].Second);
        seen.ShouldAllBe(m => m.Events == 0);
    }

    [Fact]
    public async Task Without_a_sign_in_the_stream_is_not_opened()
    {
        var response = await OpenOverHttp().Http.GetAsync("/dashboard/live/events", HttpCompletionOption.ResponseHeadersRead, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/dashboard/signin");
    }
}
