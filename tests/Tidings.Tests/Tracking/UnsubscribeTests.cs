using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Statistics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Tracking;

public sealed class UnsubscribeTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static string UnsubscribePath(TestDestination d) => $"/t/u/{d.Token}";

    [Fact]
    public async Task Opening_the_unsubscribe_link_only_asks_and_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        await (await client.PutJsonAsync($"/v3/database/{s.DatabaseId}/unsubscribe", new { behavior = "remove" })).ShouldHaveStatusAsync(204);

        var page = await Browser().GetAsync(UnsubscribePath(s.Destinations[0]), Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("<form method=\"post\"");

        (await client.GetJsonAsync($"/v3/profile/{s.Destinations[0].ProfileId}"))["removed"]!.GetValue<bool>().ShouldBeFalse();
        (await app.JournalAsync(client.AccountId)).ShouldNotContain(r => r.Type == "unsubscribe");
    }

    [Fact]
    public async Task Posting_applies_the_update_behaviour_and_records_one_unsubscribe_for_log_files_and_statistics()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        await client.CreateAsync($"/v3/database/{s.DatabaseId}/fields", new { name = "newsletter", type = "text", value = "yes" });
        await (await client.PutJsonAsync($"/v3/database/{s.DatabaseId}/unsubscribe", new { behavior = "update", fields = new { newsletter = "no" } })).ShouldHaveStatusAsync(204);
        var d = s.Destinations[0];

        using var oneClick = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        (await Browser().PostAsync(UnsubscribePath(d), oneClick, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Browser().PostAsync(UnsubscribePath(d), null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.GetJsonAsync($"/v3/profile/{d.ProfileId}/fields"))["newsletter"]!.GetValue<string>().ShouldBe("no");
        (await client.GetJsonAsync($"/v3/profile/{s.Destinations[1].ProfileId}/fields"))["newsletter"]!.GetValue<string>().ShouldBe("yes");

        var journal = await app.JournalAsync(client.AccountId);
        var unsubscribe = journal.Single(r => r.Type == "unsubscribe");
        unsubscribe.Payload["source"]!.GetValue<string>().ShouldBe("one-click");
        unsubscribe.Payload["email"]!.GetValue<string>().ShouldBe(d.Email);
        journal.ShouldContain(r => r.Type == "profile.update" && r.Payload["source"]!.GetValue<string>() == "unsubscribe");

        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var rows = (await client.GetJsonAsync($"/v3/logfile/cdm-unsubscribe.{today}.log/json")).AsArray();
        rows.Single()!["id"]!.GetValue<string>().ShouldBe(d.MessageId);

        await app.Services.GetRequiredService<StatisticsConsumer>().CatchUpAsync(Ct);
        var stats = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        stats["unsubscribes"]!["total"]!.GetValue<long>().ShouldBe(1);
        stats["unsubscribes"]!["unique"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Posting_with_the_remove_behaviour_removes_the_profile()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        await (await client.PutJsonAsync($"/v3/database/{s.DatabaseId}/unsubscribe", new { behavior = "remove" })).ShouldHaveStatusAsync(204);

        (await Browser().PostAsync(UnsubscribePath(s.Destinations[0]), null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Browser().PostAsync(UnsubscribePath(s.Destinations[0]), null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.GetJsonAsync($"/v3/profile/{s.Destinations[0].ProfileId}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public async Task An_unknown_unsubscribe_token_gets_a_not_found_page_and_records_nothing()
    {
        var client = await app.NewAccountAsync();
        await MailingScenario.CreateAsync(client, profiles: 1);
        var before = (await app.JournalAsync(client.AccountId)).Count;
        (await Browser().PostAsync("/t/u/AAAAAAAAAAAAAAAAAAAAAA", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Browser().GetAsync("/t/u/AAAAAAAAAAAAAAAAAAAAAA", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.JournalAsync(client.AccountId)).Count.ShouldBe(before);
    }
}
