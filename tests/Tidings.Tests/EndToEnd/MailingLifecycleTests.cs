using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Statistics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.EndToEnd;

/// <summary>
/// A mailing from start to end, through the public interfaces only: a mail client opens the message and follows a
/// link, the MTA reports a delivery and a bounce (as JSON and as a raw DSN), and everything shows up, enriched, in the
/// log files (CSV, JSON and XML) and in the statistics.
/// </summary>
public sealed class MailingLifecycleTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opens_clicks_deliveries_and_bounces_reach_the_log_files_and_statistics_enriched()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
        var opened = scenario.Destinations[0];
        var bounced = scenario.Destinations[1];

        // The mail client: loads the pixel and follows the first link, with its own headers.
        var mailClient = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        mailClient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148");
        var pixel = await mailClient.GetAsync(opened.OpenUrl, Ct);
        pixel.StatusCode.ShouldBe(HttpStatusCode.OK);
        pixel.Content.Headers.ContentType!.MediaType.ShouldBe("image/gif");
        var click = await mailClient.GetAsync(opened.ClickUrls[0], Ct);
        click.StatusCode.ShouldBe(HttpStatusCode.Found);
        click.Headers.Location!.ToString().ShouldBe(MailingScenario.Links[0]);

        // The MTA: a delivery for the first message as JSON, a bounce for the second as a raw DSN.
        var results = await client.SendAsync(HttpMethod.Post, "/v3/mta/results",
            $$"""[{"message":"{{opened.MessageId}}","type":"delivery","code":250,"status":"2.0.0","description":"250 2.0.0 Ok: queued","attempts":0}]""");
        results.StatusCode.ShouldBe(HttpStatusCode.OK, await results.Content.ReadAsStringAsync(Ct));
        var dsn = await client.SendAsync(HttpMethod.Post, "/v3/mta/dsn", Dsn(bounced.MessageId, bounced.Email), "message/rfc822");
        dsn.StatusCode.ShouldBe(HttpStatusCode.OK, await dsn.Content.ReadAsStringAsync(Ct));

        // The open and the click were acknowledged from the journal's intake log; their rows follow a moment later.
        await app.Services.JournaledAsync(Ct);

        // Log files: today's names, then each file in the three formats.
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await client.GetJsonAsync("/v3/logfiles")).AsArray().Select(d => d!.GetValue<string>()).ShouldContain(today);
        var names = (await client.GetJsonAsync($"/v3/logfiles?date={today}")).AsArray().Select(n => n!.GetValue<string>()).ToList();
        foreach (var type in new[] { "cdm-attempts", "cdm-impression", "cdm-click", "cdm-delivery", "cdm-error" })
        {
            names.ShouldContain($"{type}.{today}.log");
        }

        var attempts = (await client.GetJsonAsync($"/v3/logfile/cdm-attempts.{today}.log/json")).AsArray();
        attempts.Count.ShouldBe(2);
        attempts.Select(a => a!["email"]!.GetValue<string>()).ShouldBe(scenario.Destinations.Select(d => d.Email), ignoreOrder: true);
        attempts[0]!["tags"]!.GetValue<string>().ShouldBe("promo;november");
        attempts[0]!["mailingid"]!.GetValue<long>().ShouldBe(scenario.MailingId);

        var impression = (await client.GetJsonAsync($"/v3/logfile/cdm-impression.{today}.log/json")).AsArray().Single()!;
        impression["id"]!.GetValue<string>().ShouldBe(opened.MessageId);
        impression["email"]!.GetValue<string>().ShouldBe(opened.Email);
        impression["tags"]!.GetValue<string>().ShouldBe("promo;november");
        impression["header"]!.GetValue<string>().ShouldContain("iPhone");

        var clickCsv = (await client.GetTextAsync($"/v3/logfile/cdm-click.{today}.log/csv")).Body;
        clickCsv.ShouldContain(opened.MessageId);
        clickCsv.ShouldContain(opened.Email);
        clickCsv.ShouldContain("promo;november");

        var delivery = XDocument.Parse((await client.GetTextAsync($"/v3/logfile/cdm-delivery.{today}.log/xml")).Body).Root!.Elements("record").Single();
        delivery.Element("id")!.Value.ShouldBe(opened.MessageId);
        delivery.Element("email")!.Value.ShouldBe(opened.Email);

        var error = (await client.GetJsonAsync($"/v3/logfile/cdm-error.{today}.log/json")).AsArray().Single()!;
        error["id"]!.GetValue<string>().ShouldBe(bounced.MessageId);
        error["email"]!.GetValue<string>().ShouldBe(bounced.Email);
        error["code"]!.ToString().ShouldContain("550");
        error["status"]!.GetValue<string>().ShouldBe("5.1.1");

        // Statistics, once the consumer has counted everything.
        await app.Services.GetRequiredService<StatisticsConsumer>().CatchUpAsync(Ct);
        var stats = await client.GetJsonAsync($"/v3/ms/emailing/{scenario.MailingId}/statistics");
        stats["destinations"]!.GetValue<long>().ShouldBe(2);
        stats["deliveries"]!["total"]!.GetValue<long>().ShouldBe(1);
        stats["impressions"]!["total"]!.GetValue<long>().ShouldBe(1);
        stats["impressions"]!["unique"]!.GetValue<long>().ShouldBe(1);
        stats["clicks"]!["total"]!.GetValue<long>().ShouldBe(1);
        stats["errors"]!["total"]!.GetValue<long>().ShouldBe(1);
        stats["dominant_results"]!["clicks"]!.GetValue<long>().ShouldBe(1);
        stats["dominant_results"]!["errors"]!.GetValue<long>().ShouldBe(1);

        var clicks = await client.GetJsonAsync($"/v3/ms/emailing/{scenario.MailingId}/clicks");
        var listed = clicks["data"]!.AsArray().Single()!;
        listed["link"]!.GetValue<string>().ShouldBe(MailingScenario.Links[0]);
        listed["useragent"]!.GetValue<string>().ShouldContain("iPhone");
    }

    /// <summary>A bounce dated now, so that it lands in today's cdm-error file whatever day the test runs.</summary>
    private static string Dsn(string messageId, string recipient) => $"""
        From: MAILER-DAEMON@mail.shop.example
        To: bounces@mail.shop.example
        Subject: Undelivered Mail Returned to Sender
        Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}
        Message-Id: <bounce-{messageId}@mail.shop.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="report"

        --report
        Content-Type: text/plain

        Your message could not be delivered.
        --report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.shop.example

        Final-Recipient: rfc822; {recipient}
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: User unknown
        --report
        Content-Type: text/rfc822-headers

        Message-ID: <{messageId}.1@mail.shop.example>
        X-Tidings-Message-ID: {messageId}
        To: {recipient}
        Subject: November sale
        --report--
        """.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
}
