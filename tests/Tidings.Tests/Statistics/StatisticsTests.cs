using System.Globalization;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

public sealed class StatisticsTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static long N(JsonNode? node) => node!.GetValue<long>();

    private static string[] Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).ToArray();

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<(ApiClient Client, MailingScenario Scenario, StatisticsEvents Events)> MailingAsync(int profiles = 3)
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles);
        return (client, scenario, new StatisticsEvents(app, client));
    }

    [Fact]
    public async Task Two_opens_of_one_destination_count_two_in_total_and_one_unique()
    {
        var (client, s, events) = await MailingAsync();
        var d = s.Destinations;
        await events.OpenAsync(d[0], StatisticsEvents.Day1);
        await events.OpenAsync(d[0], StatisticsEvents.Day1 + 1000);
        await events.OpenAsync(d[1], StatisticsEvents.Day1);
        await events.ClickAsync(d[0], StatisticsEvents.Day1 + 2000);
        await events.ClickAsync(d[0], StatisticsEvents.Day1 + 3000, link: 1);
        foreach (var destination in d) await events.DeliveryAsync(destination, StatisticsEvents.Day1 - 1000);
        await events.RetryAsync(d[2], StatisticsEvents.Day1 - 2000);
        await events.FailureAsync(d[2], StatisticsEvents.Day1);
        await events.CountedAsync();

        var stats = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        Keys(stats).ShouldBe(["destinations", "deliveries", "errors", "impressions", "clicks", "unsubscribes", "abuses", "unknown", "retries", "dominant_results"]);
        N(stats!["destinations"]).ShouldBe(3);
        Keys(stats["deliveries"]).ShouldBe(["total"]);
        N(stats["deliveries"]!["total"]).ShouldBe(3);
        N(stats["impressions"]!["total"]).ShouldBe(3);
        N(stats["impressions"]!["unique"]).ShouldBe(2);
        N(stats["clicks"]!["total"]).ShouldBe(2);
        N(stats["clicks"]!["unique"]).ShouldBe(1);
        N(stats["errors"]!["total"]).ShouldBe(1);
        N(stats["errors"]!["unique"]).ShouldBe(1);
        N(stats["retries"]!["total"]).ShouldBe(1);
        N(stats["unsubscribes"]!["total"]).ShouldBe(0);
        N(stats["abuses"]!["unique"]).ShouldBe(0);
        N(stats["unknown"]!["total"]).ShouldBe(0);
    }

    [Fact]
    public async Task The_dominant_result_of_a_destination_is_its_strongest_result_whatever_the_order()
    {
        var (client, s, events) = await MailingAsync(profiles: 5);
        var d = s.Destinations;
        await events.ClickAsync(d[0], StatisticsEvents.Day1);           // click first, impression later: still a click
        await events.OpenAsync(d[0], StatisticsEvents.Day1 + 1000);
        await events.OpenAsync(d[1], StatisticsEvents.Day1);            // impression
        await events.DeliveryAsync(d[2], StatisticsEvents.Day1);        // delivered, no response
        await events.DeliveryAsync(d[3], StatisticsEvents.Day1);        // delivered, then bounced: error
        await events.FailureAsync(d[3], StatisticsEvents.Day1 + 1000);
        await events.ClickAsync(d[4], StatisticsEvents.Day1);           // unsubscribe beats click
        await events.UnsubscribeAsync(d[4], StatisticsEvents.Day1 + 1000);
        await events.CountedAsync();

        var stats = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        var dominant = stats!["dominant_results"];
        Keys(dominant).ShouldBe(["destinations", "errors", "abuses", "unsubscribes", "clicks", "impressions", "deliveries"]);
        N(dominant!["destinations"]).ShouldBe(5);
        N(dominant["clicks"]).ShouldBe(1);
        N(dominant["impressions"]).ShouldBe(1);
        N(dominant["deliveries"]).ShouldBe(1);
        N(dominant["errors"]).ShouldBe(1);
        N(dominant["unsubscribes"]).ShouldBe(1);
        N(dominant["abuses"]).ShouldBe(0);
        N(stats["unknown"]!["total"]).ShouldBe(3); // d0, d1 and d4 have no delivery outcome yet
    }

    [Fact]
    public async Task Begintime_and_endtime_count_only_the_events_in_that_window()
    {
        var (client, s, events) = await MailingAsync();
        var d = s.Destinations;
        await events.OpenAsync(d[0], StatisticsEvents.Day1);
        await events.ClickAsync(d[0], StatisticsEvents.Day1 + 1000);
        await events.OpenAsync(d[0], StatisticsEvents.Day2);
        await events.OpenAsync(d[1], StatisticsEvents.Day2);
        await events.OpenAsync(d[1], StatisticsEvents.Day2 + 1000);
        await events.CountedAsync();

        var all = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        N(all!["impressions"]!["total"]).ShouldBe(4);
        N(all["dominant_results"]!["clicks"]).ShouldBe(1);

        // Day 2 only (local time, endtime inclusive to the second).
        var day2 = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics?begintime=2026-03-11%2000:00:00&endtime=2026-03-11%2010:00:01");
        N(day2!["impressions"]!["total"]).ShouldBe(3);
        N(day2["impressions"]!["unique"]).ShouldBe(2);
        N(day2["clicks"]!["total"]).ShouldBe(0);
        N(day2["dominant_results"]!["impressions"]).ShouldBe(2);
        N(day2["dominant_results"]!["clicks"]).ShouldBe(0);

        var endsBefore = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics?endtime=2026-03-11%2010:00:00");
        N(endsBefore!["impressions"]!["total"]).ShouldBe(3); // the open at 10:00:01 is outside
        var list = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/impressions?begintime=2026-03-10%2000:00:00&endtime=2026-03-10%2023:59:59");
        N(list!["total"]).ShouldBe(1);
        list["data"]![0]!["timestamp"]!.GetValue<string>().ShouldBe("2026-03-10 10:00:00");
    }

    [Fact]
    public async Task Event_lists_have_copernicas_record_shapes_and_paging()
    {
        var (client, s, events) = await MailingAsync();
        var d = s.Destinations;
        await events.OpenAsync(d[0], StatisticsEvents.Day1, StatisticsEvents.IPhone);
        await events.OpenAsync(d[1], StatisticsEvents.Day1 + 1000);
        await events.OpenAsync(d[2], StatisticsEvents.Day1 + 2000);
        await events.ClickAsync(d[0], StatisticsEvents.Day1 + 3000, link: 1);
        await events.DeliveryAsync(d[0], StatisticsEvents.Day1 - 1000, attempts: 2);
        await events.FailureAsync(d[1], StatisticsEvents.Day1 - 1000);
        await events.UnsubscribeAsync(d[2], StatisticsEvents.Day1 + 4000);
        await events.CountedAsync();

        var page = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/impressions?start=1&limit=1");
        Keys(page).ShouldBe(["start", "limit", "count", "data", "total"]);
        N(page!["start"]).ShouldBe(1);
        N(page["limit"]).ShouldBe(1);
        N(page["count"]).ShouldBe(1);
        N(page["total"]).ShouldBe(3);
        page["data"]![0]!["destination"]!.GetValue<string>().ShouldBe(Id(d[1].Id));

        var impression = (await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/impressions"))!["data"]![0]!;
        Keys(impression).ShouldBe(["ID", "mailing", "timestamp", "ip", "useragent", "device", "destination", "profile", "subprofile"]);
        impression["mailing"]!.GetValue<string>().ShouldBe(Id(s.MailingId));
        impression["timestamp"]!.GetValue<string>().ShouldBe("2026-03-10 10:00:00");
        impression["device"]!.GetValue<string>().ShouldBe("mobile");
        impression["profile"]!.GetValue<string>().ShouldBe(Id(d[0].ProfileId));
        impression["subprofile"].ShouldBeNull();

        var click = (await client.GetJsonAsync($"/v3/ms/destination/{d[0].Id}/clicks"))!["data"]![0]!;
        Keys(click).ShouldBe(["ID", "mailing", "link", "timestamp", "ip", "useragent", "destination", "profile", "subprofile"]);
        click["link"]!.GetValue<string>().ShouldBe(MailingScenario.Links[1]);

        var delivery = (await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/deliveries"))!["data"]![0]!;
        Keys(delivery).ShouldBe(["ID", "mailing", "timestamp", "attempts", "destination", "profile", "subprofile"]);
        N(delivery["attempts"]).ShouldBe(2);

        var error = (await client.GetJsonAsync($"/v3/ms/destination/{d[1].MessageId}/errors"))!["data"]![0]!;
        Keys(error).ShouldBe(["ID", "mailing", "timestamp", "status", "errorcode", "description", "errortype", "destination", "profile", "subprofile"]);
        error["status"]!.GetValue<string>().ShouldBe("5.1.1");
        error["errorcode"]!.GetValue<string>().ShouldBe("550");
        error["errortype"]!.GetValue<string>().ShouldBe("hard");
        error["description"]!.GetValue<string>().ShouldBe("No such user");

        var unsubscribe = (await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/unsubscribes"))!["data"]![0]!;
        Keys(unsubscribe).ShouldBe(["ID", "mailing", "timestamp", "destination", "source", "success", "profile", "subprofile"]);
        Keys((await client.GetJsonAsync("/v3/ms/unsubscribes"))!["data"]![0]).ShouldBe(["ID", "mailing", "timestamp", "destination", "source"]);

        // Account-wide lists document no profile and subprofile.
        Keys((await client.GetJsonAsync("/v3/ms/impressions"))!["data"]![0]).ShouldBe(["ID", "mailing", "timestamp", "ip", "useragent", "device", "destination"]);
        Keys((await client.GetJsonAsync("/v3/ms/clicks"))!["data"]![0]).ShouldBe(["ID", "mailing", "link", "timestamp", "ip", "useragent", "destination"]);
        N((await client.GetJsonAsync("/v3/ms/errors"))!["total"]).ShouldBe(1);
        N((await client.GetJsonAsync("/v3/ms/abuses"))!["total"]).ShouldBe(0);
        (await client.GetJsonAsync("/v3/ms/impressions?total=false"))!.AsObject().ContainsKey("total").ShouldBeFalse();
    }

    [Fact]
    public async Task Unique_clicks_list_one_click_per_destination_and_link()
    {
        var (client, s, events) = await MailingAsync(profiles: 2);
        var d = s.Destinations;
        await events.ClickAsync(d[0], StatisticsEvents.Day1, link: 0);
        await events.ClickAsync(d[0], StatisticsEvents.Day1 + 1000, link: 0);
        await events.ClickAsync(d[0], StatisticsEvents.Day1 + 2000, link: 1);
        await events.ClickAsync(d[1], StatisticsEvents.Day1 + 3000, link: 0);
        await events.CountedAsync();

        N((await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/clicks"))!["total"]).ShouldBe(4);
        var unique = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/clicks?unique=true");
        N(unique!["total"]).ShouldBe(3);
        unique["data"]![0]!["timestamp"]!.GetValue<string>().ShouldBe("2026-03-10 10:00:00");
        N((await client.GetJsonAsync($"/v3/ms/destination/{d[0].Id}/clicks?unique=1"))!["total"]).ShouldBe(2);

        var destination = await client.GetJsonAsync($"/v3/ms/destination/{d[0].Id}/statistics");
        Keys(destination).ShouldBe(["ID", "abuses", "clicks", "deliveries", "errors", "impressions", "retries", "unsubscribes"]);
        destination!["ID"]!.GetValue<string>().ShouldBe(Id(d[0].Id));
        N(destination["clicks"]!["total"]).ShouldBe(3);
        N(destination["clicks"]!["unique"]).ShouldBe(2);
        var windowed = await client.GetJsonAsync($"/v3/ms/destination/{d[0].Id}/statistics?begintime=2026-03-10%2010:00:01");
        N(windowed!["clicks"]!["total"]).ShouldBe(2);
        N(windowed["clicks"]!["unique"]).ShouldBe(2);

        var mailing = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        N(mailing!["clicks"]!["total"]).ShouldBe(4);
        N(mailing["clicks"]!["unique"]).ShouldBe(2);
    }

    [Fact]
    public async Task Statistics_and_events_of_another_account_are_invisible()
    {
        var (owner, s, events) = await MailingAsync(profiles: 1);
        await events.OpenAsync(s.Destinations[0], StatisticsEvents.Day1);
        await events.CountedAsync();
        var other = await app.NewAccountAsync();

        await (await other.GetAsync($"/v3/ms/emailing/{s.MailingId}/statistics")).ShouldBeCopernicaErrorAsync();
        await (await other.GetAsync($"/v3/ms/emailing/{s.MailingId}/impressions")).ShouldBeCopernicaErrorAsync();
        await (await other.GetAsync($"/v3/ms/destination/{s.Destinations[0].Id}/statistics")).ShouldBeCopernicaErrorAsync("No destination with supplied ID");
        await (await other.GetAsync($"/v3/ms/destination/{s.Destinations[0].MessageId}/impressions")).ShouldBeCopernicaErrorAsync("No destination with supplied ID");
        N((await other.GetJsonAsync("/v3/ms/impressions"))!["total"]).ShouldBe(0);
        N((await owner.GetJsonAsync("/v3/ms/impressions"))!["total"]).ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_times_and_unknown_mailings_or_destinations_are_refused()
    {
        var (client, s, _) = await MailingAsync(profiles: 1);
        await (await client.GetAsync($"/v3/ms/emailing/{s.MailingId}/statistics?begintime=yesterday")).ShouldBeCopernicaErrorAsync();
        await (await client.GetAsync($"/v3/ms/emailing/{s.MailingId}/clicks?endtime=2026-13-45")).ShouldBeCopernicaErrorAsync();
        await (await client.GetAsync("/v3/ms/impressions?begintime=x")).ShouldBeCopernicaErrorAsync();
        await (await client.GetAsync("/v3/ms/emailing/999999/statistics")).ShouldBeCopernicaErrorAsync("No emailing with supplied ID");
        await (await client.GetAsync("/v3/ms/emailing/abc/deliveries")).ShouldBeCopernicaErrorAsync("No emailing with supplied ID");
        await (await client.GetAsync("/v3/ms/destination/999999/statistics")).ShouldBeCopernicaErrorAsync("No destination with supplied ID");
        await (await client.GetAsync("/v3/ms/destination/nosuchmessageid/clicks")).ShouldBeCopernicaErrorAsync("No destination with supplied ID");
    }

    [Fact]
    public async Task A_new_mailing_has_zero_statistics()
    {
        var (client, s, events) = await MailingAsync(profiles: 2);
        await events.CountedAsync();
        var stats = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        N(stats!["destinations"]).ShouldBe(2);
        N(stats["impressions"]!["total"]).ShouldBe(0);
        N(stats["unknown"]!["total"]).ShouldBe(2);
        N(stats["dominant_results"]!["deliveries"]).ShouldBe(0);
        var destination = await client.GetJsonAsync($"/v3/ms/destination/{s.Destinations[0].Id}/statistics");
        N(destination!["impressions"]!["total"]).ShouldBe(0);
    }
}

public sealed class StatisticsApiDocsTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task The_openapi_document_describes_the_statistics_calls_with_window_paging_and_unique_parameters()
    {
        var json = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var paths = json["paths"]!.AsObject();
        string[] Names(string path) => paths[path]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray();
        Names("/v3/ms/emailing/{id}/statistics").ShouldContain("begintime");
        paths["/v3/ms/emailing/{id}/statistics"]!["get"]!["security"]!.AsArray().Select(r => r!.AsObject().Single().Key).ShouldBe(["access_token", "bearer"]);
        Names("/v3/ms/destination/{id}/clicks").ShouldContain("unique");
        Names("/v3/ms/impressions").ShouldContain("limit");
        Names("/v3/ms/impressions").ShouldNotContain("unique");
    }
}
