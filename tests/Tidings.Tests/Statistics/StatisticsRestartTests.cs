using Microsoft.Extensions.DependencyInjection;
using Tidings.Statistics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

public sealed class StatisticsRestartTests
{
    [Fact]
    public async Task The_consumer_resumes_from_its_cursor_after_a_restart_without_double_counting()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "tidings.db");
        try
        {
            long mailingId;
            string token;
            long accountId;
            IReadOnlyList<TestDestination> destinations;
            await using (var first = new FixedPathTidingsApp(path))
            {
                await first.InitializeAsync();
                var client = await first.NewAccountAsync();
                var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
                (mailingId, token, accountId, destinations) = (scenario.MailingId, client.Token, client.AccountId, scenario.Destinations);
                var events = new StatisticsEvents(first, client);
                await events.OpenAsync(destinations[0], StatisticsEvents.Day1);
                await events.OpenAsync(destinations[0], StatisticsEvents.Day1 + 1000);
                await events.CountedAsync();
                var cursor = first.Services.GetRequiredService<StatisticsConsumer>().Position;
                cursor.ShouldBeGreaterThan(0);
                N(await client.GetJsonAsync($"/v3/ms/emailing/{mailingId}/statistics"), "impressions", "total").ShouldBe(2);

                // Appended just before the host stops: counted now or by the next host, but only once.
                await events.OpenAsync(destinations[1], StatisticsEvents.Day1 + 2000);
                await events.ClickAsync(destinations[1], StatisticsEvents.Day1 + 3000);
            }

            await using (var second = new FixedPathTidingsApp(path))
            {
                await second.InitializeAsync();
                var client = new ApiClient(second.CreateClient(), token, accountId);
                var events = new StatisticsEvents(second, client);
                await events.OpenAsync(destinations[0], StatisticsEvents.Day2);
                await events.CountedAsync();
                var stats = await client.GetJsonAsync($"/v3/ms/emailing/{mailingId}/statistics");
                N(stats, "impressions", "total").ShouldBe(4);
                N(stats, "impressions", "unique").ShouldBe(2);
                N(stats, "clicks", "total").ShouldBe(1);
                N(stats, "dominant_results", "clicks").ShouldBe(1);
                N(stats, "dominant_results", "impressions").ShouldBe(1);
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static long N(System.Text.Json.Nodes.JsonNode? node, string a, string b) => node![a]![b]!.GetValue<long>();
}
