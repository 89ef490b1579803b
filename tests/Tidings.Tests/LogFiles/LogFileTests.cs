using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogFiles;

public sealed class LogFileTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static readonly string[] AttemptColumns = ["id", "time", "mailingid", "profileid", "subprofileid", "databaseid", "collectionid", "senderdomain", "templateid", "tags", "email"];
    private static readonly string[] ImpressionColumns = ["id", "time", "ip", "header", "email", "tags", "countrycode", "countryname", "regioncode", "city", "senderdomain", "profile", "subprofile", "template"];
    private static readonly string[] ClickColumns = ["id", "senderdomain", "time", "linkinfo", "ip", "header", "email", "tags", "countrycode", "countryname", "regioncode", "city", "profile", "subprofile", "template"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A moment on 24 March 2026 in Europe/Amsterdam (UTC+1 that day) as Unix ms.</summary>
    private static long Local(int day, int hour, int minute, int second = 0, int ms = 0) =>
        new DateTimeOffset(2026, 3, day, hour, minute, second, ms, TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();

    private static JsonObject OpenFacts(string ip) => new()
    {
        ["ip"] = ip, ["useragent"] = "Mozilla/5.0", ["referer"] = "",
        ["headers"] = new JsonObject { ["User-Agent"] = "Mozilla/5.0 (X11)", ["Accept"] = "image/*" },
    };

    private async Task AppendAsync(string type, string token, long occurredMs, JsonObject facts)
    {
        var outcome = await app.Services.GetRequiredService<JournalWriter>().AppendAsync(new RawEvent(type, DestinationKey.Token, token, null, occurredMs, facts), Ct);
        outcome.ShouldBe(AppendOutcome.Recorded);
        await app.Services.JournaledAsync(Ct);
    }

    private static async Task<(string Body, HttpResponseMessage Response)> DownloadAsync(ApiClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(200, body);
        return (body, response);
    }

    private string Today => app.Services.GetRequiredService<CopernicaTime>().FormatMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())[..10];

    [Fact]
    public async Task Dates_and_names_list_the_local_days_and_types_that_have_events()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        // 00:30 local on the 24th is still the 23rd in UTC: the file is the local day's.
        await AppendAsync(EventTypes.Open, s.Destinations[0].Token, Local(24, 0, 30), OpenFacts("10.0.0.1"));
        await AppendAsync(EventTypes.Click, s.Destinations[0].Token, Local(24, 10, 0), OpenFacts("10.0.0.1").Also(f => { f["url"] = MailingScenario.Links[1]; f["link"] = 1; }));
        await AppendAsync(EventTypes.Open, s.Destinations[0].Token, Local(22, 12, 0), OpenFacts("10.0.0.2"));

        var dates = (await client.GetJsonAsync("/v3/logfiles"))!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        dates.ShouldBe(["2026-03-22", "2026-03-24", Today]);

        (await Names(client, "date=2026-03-24")).ShouldBe(["cdm-click.2026-03-24.log", "cdm-impression.2026-03-24.log"]);
        (await Names(client, "type=cdm-impression")).ShouldBe(["cdm-impression.2026-03-22.log", "cdm-impression.2026-03-24.log"]);
        (await Names(client, "type=cdm-attempts")).ShouldBe([$"cdm-attempts.{Today}.log"]);
        (await Names(client, "date=2026-03-24&type=cdm-click")).ShouldBe(["cdm-click.2026-03-24.log"]);
        (await Names(client, "date=2026-03-23")).ShouldBeEmpty();
        (await Names(client, "type=cdm-abuse")).ShouldBeEmpty();
        (await Names(client, "type=feedback-loop-errors")).ShouldBeEmpty();
        await (await client.GetAsync("/v3/logfiles?date=24-03-2026")).ShouldBeCopernicaErrorAsync();
    }

    private static async Task<List<string>> Names(ApiClient client, string query) =>
        (await client.GetJsonAsync("/v3/logfiles?" + query))!.AsArray().Select(d => d!.GetValue<string>()).ToList();

    [Fact]
    public async Task The_attempts_file_has_Copernicas_columns_in_order_in_all_three_formats()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        long firstOccurred;
        await using (var c = await app.Services.OpenCaughtUpReadAsync(Ct))
        {
            firstOccurred = await c.ExecuteScalarAsync<long>("SELECT occurred FROM journal WHERE account_id = @AccountId AND type = 'attempt' ORDER BY seq LIMIT 1", new { client.AccountId });
        }

        var time = app.Services.GetRequiredService<CopernicaTime>().FormatMs(firstOccurred);
        var name = $"cdm-attempts.{time[..10]}.log";
        var d = s.Destinations[0];

        var (json, jsonResponse) = await DownloadAsync(client, $"/v3/logfile/{name}/json");
        jsonResponse.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
        var rows = JsonNode.Parse(json)!.AsArray();
        rows.Count.ShouldBe(2);
        var first = rows[0]!.AsObject();
        first.Select(p => p.Key).ShouldBe(AttemptColumns);
        first.ToJsonString().ShouldBe(new JsonObject
        {
            ["id"] = d.MessageId, ["time"] = time, ["mailingid"] = s.MailingId, ["profileid"] = d.ProfileId, ["subprofileid"] = 0,
            ["databaseid"] = s.DatabaseId, ["collectionid"] = 0, ["senderdomain"] = "mail.shop.example", ["templateid"] = 12,
            ["tags"] = "promo;november", ["email"] = d.Email,
        }.ToJsonString());

        var (csv, csvResponse) = await DownloadAsync(client, $"/v3/logfile/{name}/csv");
        csvResponse.Content.Headers.ContentType!.ToString().ShouldBe("text/csv");
        var lines = csv.Split("\r\n");
        lines.Length.ShouldBe(3);
        lines[2].ShouldBe("");
        lines[0].ShouldBe($"{d.MessageId},{time},{s.MailingId},{d.ProfileId},0,{s.DatabaseId},0,mail.shop.example,12,promo;november,{d.Email}");

        var (withHeader, _) = await DownloadAsync(client, $"/v3/logfile/{name}/csv?header=true");
        withHeader.Split("\r\n")[0].ShouldBe(string.Join(',', AttemptColumns));
        withHeader.Split("\r\n")[1].ShouldBe(lines[0]);

        var (xml, xmlResponse) = await DownloadAsync(client, $"/v3/logfile/{name}/xml");
        xmlResponse.Content.Headers.ContentType!.ToString().ShouldBe("application/xml");
        var records = XDocument.Parse(xml).Root!;
        records.Name.LocalName.ShouldBe("records");
        records.Elements("record").Count().ShouldBe(2);
        var record = records.Elements("record").First();
        record.Elements().Select(e => e.Name.LocalName).ShouldBe(AttemptColumns);
        record.Elements().Select(e => e.Value).ShouldBe(lines[0].Split(','));
    }

    [Fact]
    public async Task Impression_and_click_files_carry_the_enriched_values_with_headers_on_several_lines()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = s.Destinations[0];
        await AppendAsync(EventTypes.Open, d.Token, Local(24, 9, 15, 7), OpenFacts("192.0.2.7"));
        var click = OpenFacts("192.0.2.8");
        click["url"] = MailingScenario.Links[1];
        click["link"] = 1;
        await AppendAsync(EventTypes.Click, d.Token, Local(24, 9, 16, 0), click);
        const string header = "User-Agent: Mozilla/5.0 (X11)\nAccept: image/*";

        var impression = JsonNode.Parse((await DownloadAsync(client, "/v3/logfile/cdm-impression.2026-03-24.log/json")).Body)!.AsArray().Single()!.AsObject();
        impression.Select(p => p.Key).ShouldBe(ImpressionColumns);
        impression.ToJsonString().ShouldBe(new JsonObject
        {
            ["id"] = d.MessageId, ["time"] = "2026-03-24 09:15:07", ["ip"] = "192.0.2.7", ["header"] = header, ["email"] = d.Email,
            ["tags"] = "promo;november", ["countrycode"] = "", ["countryname"] = "", ["regioncode"] = "", ["city"] = "",
            ["senderdomain"] = "mail.shop.example", ["profile"] = d.ProfileId, ["subprofile"] = 0, ["template"] = 12,
        }.ToJsonString());

        var clickRow = JsonNode.Parse((await DownloadAsync(client, "/v3/logfile/cdm-click.2026-03-24.log/json")).Body)!.AsArray().Single()!.AsObject();
        clickRow.Select(p => p.Key).ShouldBe(ClickColumns);
        clickRow["senderdomain"]!.GetValue<string>().ShouldBe("mail.shop.example");
        clickRow["time"]!.GetValue<string>().ShouldBe("2026-03-24 09:16:00");
        clickRow["linkinfo"]!.GetValue<string>().ShouldBe("1");
        clickRow["header"]!.GetValue<string>().ShouldBe(header);

        // CSV: the header column holds a line break, so it is quoted (RFC 4180).
        var (csv, _) = await DownloadAsync(client, "/v3/logfile/cdm-click.2026-03-24.log/csv");
        csv.ShouldBe($"{d.MessageId},mail.shop.example,2026-03-24 09:16:00,1,192.0.2.8,\"{header}\",{d.Email},promo;november,,,,,{d.ProfileId},0,12\r\n");

        var (xml, _) = await DownloadAsync(client, "/v3/logfile/cdm-impression.2026-03-24.log/xml");
        var record = XDocument.Parse(xml).Root!.Elements("record").Single();
        record.Elements().Select(e => e.Name.LocalName).ShouldBe(ImpressionColumns);
        record.Element("header")!.Value.ShouldBe(header);
        record.Element("profile")!.Value.ShouldBe(d.ProfileId.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_download_resumes_with_after_or_from_without_losing_or_repeating_rows_in_the_same_second()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        var ms = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var at = Local(24, 14, 0, 1, i * 100); // all six in the same second
            ms.Add(at);
            await AppendAsync(EventTypes.Open, s.Destinations[i % 2].Token, at, OpenFacts($"10.1.0.{i}"));
        }

        const string file = "/v3/logfile/cdm-impression.2026-03-24.log/json";
        var (body, response) = await DownloadAsync(client, file);
        Ips(body).ShouldBe(Enumerable.Range(0, 6).Select(i => $"10.1.0.{i}"));
        var last = response.Headers.GetValues("X-Tidings-Last-Seq").Single();

        // More events arrive, some in the same second as the ones already downloaded, one earlier in the day.
        await AppendAsync(EventTypes.Open, s.Destinations[0].Token, Local(24, 14, 0, 1, 650), OpenFacts("10.1.0.6"));
        await AppendAsync(EventTypes.Open, s.Destinations[1].Token, Local(24, 14, 0, 1, 999), OpenFacts("10.1.0.7"));
        await AppendAsync(EventTypes.Open, s.Destinations[1].Token, Local(24, 8, 0, 0), OpenFacts("10.1.0.8"));

        var (rest, restResponse) = await DownloadAsync(client, $"{file}?after={last}");
        Ips(rest).ShouldBe(["10.1.0.6", "10.1.0.7", "10.1.0.8"]);
        var last2 = restResponse.Headers.GetValues("X-Tidings-Last-Seq").Single();
        long.Parse(last2, CultureInfo.InvariantCulture).ShouldBeGreaterThan(long.Parse(last, CultureInfo.InvariantCulture));

        var (none, noneResponse) = await DownloadAsync(client, $"{file}?after={last2}");
        none.ShouldBe("[]");
        noneResponse.Headers.GetValues("X-Tidings-Last-Seq").Single().ShouldBe(last2);

        // from: a Unix time with fractions; only entries after it (Copernica v4).
        var from = (ms[3] / 1000m).ToString(CultureInfo.InvariantCulture);
        Ips((await DownloadAsync(client, $"{file}?from={from}")).Body).ShouldBe(["10.1.0.4", "10.1.0.5", "10.1.0.6", "10.1.0.7"]);
        // Whole seconds: the event at exactly 14:00:01.000 is not after 14:00:01; the earlier one at 08:00 neither.
        Ips((await DownloadAsync(client, $"{file}?from={ms[0] / 1000}")).Body).ShouldBe(["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6", "10.1.0.7"]);

        var csvAll = (await DownloadAsync(client, "/v3/logfile/cdm-impression.2026-03-24.log/csv")).Body;
        csvAll.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(9);
    }

    private static List<string> Ips(string json) => JsonNode.Parse(json)!.AsArray().Select(r => r!["ip"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Another_account_sees_no_dates_names_or_rows_of_this_account()
    {
        var owner = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(owner, profiles: 1);
        await AppendAsync(EventTypes.Open, s.Destinations[0].Token, Local(20, 12, 0), OpenFacts("10.2.0.1"));
        (await Names(owner, "date=2026-03-20")).ShouldBe(["cdm-impression.2026-03-20.log"]);

        var other = await app.NewAccountAsync();
        (await other.GetJsonAsync("/v3/logfiles"))!.AsArray().ShouldBeEmpty();
        (await Names(other, "date=2026-03-20")).ShouldBeEmpty();
        (await Names(other, "type=cdm-impression")).ShouldBeEmpty();
        (await DownloadAsync(other, "/v3/logfile/cdm-impression.2026-03-20.log/json")).Body.ShouldBe("[]");
        (await DownloadAsync(other, "/v3/logfile/cdm-impression.2026-03-20.log/csv")).Body.ShouldBe("");
        XDocument.Parse((await DownloadAsync(other, "/v3/logfile/cdm-impression.2026-03-20.log/xml")).Body).Root!.Elements().ShouldBeEmpty();
        await (await app.CreateClient().GetAsync("/v3/logfile/cdm-impression.2026-03-20.log/json", Ct)).ShouldBeCopernicaErrorAsync("Invalid access token");
    }

    [Fact]
    public async Task Delivery_retry_error_and_unsubscribe_files_map_their_facts_and_errors_merge_failures_and_bounces_in_record_order()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = s.Destinations[0];
        var writer = app.Services.GetRequiredService<JournalWriter>();
        async Task Mta(string type, long at, JsonObject facts)
        {
            (await writer.AppendAsync(new RawEvent(type, DestinationKey.MessageId, d.MessageId, client.AccountId, at, facts), Ct)).ShouldBe(AppendOutcome.Recorded);
            await app.Services.JournaledAsync(Ct);
        }

        await Mta(EventTypes.Retry, Local(24, 10, 0), new JsonObject { ["attempt"] = 0, ["code"] = 451, ["status"] = "4.7.1", ["description"] = "Greylisted" });
        await Mta(EventTypes.Delivery, Local(24, 10, 5), new JsonObject { ["attempts"] = 1, ["code"] = 250, ["status"] = "2.0.0", ["description"] = "OK" });
        await Mta(EventTypes.Failure, Local(24, 11, 0), new JsonObject { ["errortype"] = "hard", ["code"] = 550, ["status"] = "5.1.1", ["description"] = "No such user", ["state"] = "rcpt" });
        await Mta(EventTypes.Bounce, Local(24, 10, 30), new JsonObject { ["code"] = 554, ["status"] = "5.7.1", ["description"] = "Rejected", ["recipient"] = d.Email });
        await Mta(EventTypes.Failure, Local(24, 12, 0), new JsonObject { ["errortype"] = "soft", ["code"] = 452, ["status"] = "4.2.2", ["description"] = "Mailbox full", ["state"] = "bounce" });
        await AppendAsync(EventTypes.Unsubscribe, d.Token, Local(24, 13, 0), new JsonObject { ["source"] = "link" });

        var tail = $"{d.Email},promo;november,mail.shop.example,{d.ProfileId},0,12";
        (await DownloadAsync(client, "/v3/logfile/cdm-retry.2026-03-24.log/csv?header=1")).Body.ShouldBe(
            $"id,time,attempt,email,tags,senderdomain,profile,subprofile,template\r\n{d.MessageId},2026-03-24 10:00:00,0,{tail}\r\n");
        (await DownloadAsync(client, "/v3/logfile/cdm-delivery.2026-03-24.log/csv?header=1")).Body.ShouldBe(
            $"id,time,attempts,email,tags,senderdomain,profile,subprofile,template\r\n{d.MessageId},2026-03-24 10:05:00,1,{tail}\r\n");
        (await DownloadAsync(client, "/v3/logfile/cdm-unsubscribe.2026-03-24.log/csv?header=1")).Body.ShouldBe(
            $"id,time,email,tags,senderdomain,profile,subprofile,template\r\n{d.MessageId},2026-03-24 13:00:00,{tail}\r\n");

        // cdm-error: failures and bounces together, in the order they were recorded (the bounce's time is earlier).
        (await DownloadAsync(client, "/v3/logfile/cdm-error.2026-03-24.log/csv?header=true")).Body.ShouldBe(
            "id,time,type,status,description,code,email,tags,senderdomain,profile,subprofile,template\r\n" +
            $"{d.MessageId},2026-03-24 11:00:00,hard,5.1.1,No such user,550,{tail}\r\n" +
            $"{d.MessageId},2026-03-24 10:30:00,bounce,5.7.1,Rejected,554,{tail}\r\n" +
            $"{d.MessageId},2026-03-24 12:00:00,soft,4.2.2,Mailbox full,452,{tail}\r\n");
        var errors = await DownloadAsync(client, "/v3/logfile/cdm-error.2026-03-24.log/json");
        var last = errors.Response.Headers.GetValues("X-Tidings-Last-Seq").Single();
        JsonNode.Parse(errors.Body)!.AsArray().Select(r => r!["type"]!.GetValue<string>()).ShouldBe(["hard", "bounce", "soft"]);
        await Mta(EventTypes.Bounce, Local(24, 9, 0), new JsonObject { ["code"] = 550, ["status"] = "5.0.0", ["description"] = "Late report" });
        var resumed = JsonNode.Parse((await DownloadAsync(client, $"/v3/logfile/cdm-error.2026-03-24.log/json?after={last}")).Body)!.AsArray();
        resumed.Select(r => r!["description"]!.GetValue<string>()).ShouldBe(["Late report"]);
        (await Names(client, "date=2026-03-24")).ShouldBe(["cdm-delivery.2026-03-24.log", "cdm-error.2026-03-24.log", "cdm-retry.2026-03-24.log", "cdm-unsubscribe.2026-03-24.log"]);
    }

    [Theory]
    [InlineData("/v3/logfile/cdm-click.2026-3-24.log/json")]
    [InlineData("/v3/logfile/cdm-nothing.2026-03-24.log/json")]
    [InlineData("/v3/logfile/cdm-abuse.2026-03-24.log/json")]
    [InlineData("/v3/logfile/cdm-click.2026-02-30.log/csv")]
    [InlineData("/v3/logfile/cdm-click.2026-03-24.txt/xml")]
    [InlineData("/v3/logfile/cdm-click.2026-03-24.log/pdf")]
    [InlineData("/v3/logfile/cdm-click.2026-03-24.log/json?from=yesterday")]
    [InlineData("/v3/logfile/cdm-click.2026-03-24.log/json?after=-1")]
    [InlineData("/v3/logfile/cdm-click.2026-03-24.log/csv?header=maybe")]
    public async Task A_bad_name_or_parameter_is_a_Copernica_error(string path)
    {
        var client = await app.NewAccountAsync();
        await (await client.GetAsync(path)).ShouldBeCopernicaErrorAsync();
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
