using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogFiles;

/// <summary>The first and last days a date can name are days without log files like any other, not server errors.</summary>
public sealed class LogFileDateRangeTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task A_day_at_the_end_of_the_calendar_lists_no_files(string date)
    {
        var client = await app.NewAccountAsync();
        await MailingScenario.CreateAsync(client, profiles: 1);
        (await client.GetJsonAsync($"/v3/logfiles?date={date}")).AsArray().ShouldBeEmpty();
        (await client.GetJsonAsync($"/v3/logfiles?date={date}&type=cdm-attempts")).AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("cdm-attempts.9999-12-31.log/json")]
    [InlineData("cdm-click.9999-12-31.log/csv")]
    [InlineData("cdm-delivery.0001-01-01.log/xml")]
    [InlineData("cdm-attempts.9999-12-31.log/json?from=253402300799&after=1")]
    public async Task A_file_of_a_day_at_the_end_of_the_calendar_is_empty(string file)
    {
        var client = await app.NewAccountAsync();
        await MailingScenario.CreateAsync(client, profiles: 1);
        var response = await client.GetAsync("/v3/logfile/" + file);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(200, body);
        if (file.Contains("/json", StringComparison.Ordinal)) JsonNode.Parse(body)!.AsArray().ShouldBeEmpty();
        if (file.Contains("/csv", StringComparison.Ordinal)) body.Trim().ShouldBeEmpty();
        if (file.Contains("/xml", StringComparison.Ordinal)) body.ShouldNotContain("<record>");
    }
}
