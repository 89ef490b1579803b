using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tidings.Consumption;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.SecretProtection;

namespace Tidings.Tests.Consumption;

/// <summary>
/// <c>GET consumption?begin=&amp;end=</c>: Copernica's keys; emails from the mailings' attempts in the period, API calls
/// from the per-account counts (kept in memory, written to storage every minute and on shutdown), the rest 0.
/// </summary>
public sealed class ConsumptionTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static readonly string[] Keys = ["emails", "texts", "fax", "webpages", "apicalls", "litmustests", "twofiftyoktests"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Yesterday through tomorrow in the API's time zone: today whatever the hour.</summary>
    private static string AroundToday()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        return string.Create(CultureInfo.InvariantCulture, $"begin={today.AddDays(-1):yyyy-MM-dd}&end={today.AddDays(1):yyyy-MM-dd}");
    }

    [Theory]
    [InlineData("/v3/consumption")]
    [InlineData("/v2/consumption")]
    [InlineData("/consumption")]
    public async Task Answers_copernicas_keys_as_integers(string path)
    {
        var client = await app.NewAccountAsync();
        var json = (await client.GetJsonAsync($"{path}?{AroundToday()}")).AsObject();
        json.Select(p => p.Key).ShouldBe(Keys);
        json.ShouldAllBe(p => p.Value!.GetValueKind() == JsonValueKind.Number);
        foreach (var key in new[] { "texts", "fax", "webpages", "litmustests", "twofiftyoktests" }) json[key]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Emails_are_the_attempts_of_the_accounts_mailings_in_the_period()
    {
        var client = await app.NewAccountAsync();
        await MailingScenario.CreateAsync(client, profiles: 3);
        var other = await app.NewAccountAsync();

        (await client.GetJsonAsync($"/v3/consumption?{AroundToday()}"))!["emails"]!.GetValue<long>().ShouldBe(3);
        (await client.GetJsonAsync("/v3/consumption?begin=2020-01-01&end=2020-12-31"))!["emails"]!.GetValue<long>().ShouldBe(0);
        (await other.GetJsonAsync($"/v3/consumption?{AroundToday()}"))!["emails"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Apicalls_count_the_accounts_authenticated_calls_including_refused_ones_and_this_one()
    {
        var client = await app.NewAccountAsync();
        var other = await app.NewAccountAsync();
        await client.GetJsonAsync("/v3/identity");
        await client.GetJsonAsync("/identity");
        await (await client.GetAsync("/v3/database/987654321")).ShouldBeCopernicaErrorAsync("No database with supplied ID");
        await (await client.Http.GetAsync("/v3/identity?access_token=wrong", Ct)).ShouldBeCopernicaErrorAsync("Invalid access token");
        await other.GetJsonAsync("/v3/identity");

        (await client.GetJsonAsync($"/v3/consumption?{AroundToday()}"))!["apicalls"]!.GetValue<long>().ShouldBe(4);
        (await client.GetJsonAsync($"/v3/consumption?{AroundToday()}"))!["apicalls"]!.GetValue<long>().ShouldBe(5);
        (await client.GetJsonAsync("/v3/consumption?begin=2020-01-01&end=2020-01-31"))!["apicalls"]!.GetValue<long>().ShouldBe(0);
        (await other.GetJsonAsync($"/v3/consumption?{AroundToday()}"))!["apicalls"]!.GetValue<long>().ShouldBe(2);
    }

    [Theory]
    [InlineData("end=2024-01-31", "URL parameter begin is required")]
    [InlineData("begin=2024-01-01", "URL parameter end is required")]
    [InlineData("begin=&end=2024-01-31", "URL parameter begin is required")]
    [InlineData("begin=2024-13-01&end=2024-01-31", "Invalid value for begin: expected a date YYYY-MM-DD")]
    [InlineData("begin=2024-01-01&end=yesterday", "Invalid value for end: expected a date YYYY-MM-DD")]
    [InlineData("begin=2024-02-01&end=2024-01-31", "Invalid period: end is before begin")]
    [InlineData("BEGIN=2024-01-01&end=2024-01-31", "URL parameter begin is required")]
    public async Task A_missing_or_unreadable_period_is_refused(string query, string message)
    {
        var client = await app.NewAccountAsync();
        await (await client.GetAsync($"/v3/consumption?{query}")).ShouldBeCopernicaErrorAsync(message);
    }

    [Theory]
    [InlineData("begin=2024-01-01 10:00:00&end=2024-01-01 09:00:00")]
    [InlineData("begin=2024-01-01T00:00:00&end=2024-01-31")]
    [InlineData("begin=0001-01-01&end=9999-12-31")]
    [InlineData("begin=9999-12-31&end=9999-12-31")]
    [InlineData("begin=0001-01-01&end=0001-01-01")]
    public async Task Any_readable_days_are_answered(string query)
    {
        var client = await app.NewAccountAsync();
        (await client.GetJsonAsync($"/v3/consumption?{query}")).AsObject().Select(p => p.Key).ShouldBe(Keys);
    }

    [Fact]
    public async Task The_whole_range_of_days_counts_todays_calls()
    {
        var client = await app.NewAccountAsync();
        (await client.GetJsonAsync("/v3/consumption?begin=0001-01-01&end=9999-12-31"))!["apicalls"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Counts_are_written_per_hour_every_interval_and_on_stop_adding_to_what_is_stored()
    {
        var account = (await app.NewAccountAsync()).AccountId;
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 3, 10, 10, 30, 0, TimeSpan.Zero));
        var hour10 = new DateTimeOffset(2024, 3, 10, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var counter = new ApiCallCounter(time);
        var store = app.Services.GetRequiredService<ConsumptionStore>();
        var options = Options.Create(new ConsumptionOptions { ApiCallFlushInterval = TimeSpan.FromMinutes(1) });
        using var flusher = new ApiCallFlusher(counter, store, time, options, NullLogger<ApiCallFlusher>.Instance);

        for (var i = 0; i < 3; i++) counter.Count(account);
        time.Advance(TimeSpan.FromHours(1));
        counter.Count(account);
        counter.Count(account);
        await flusher.StartAsync(Ct);
        (await StoredAsync(store, account, hour10, 2)).ShouldBe(0, "nothing is written before the interval has passed");
        (await flusher.CallsAsync(account, hour10, hour10 + 2 * 3_600_000, Ct)).ShouldBe(5, "calls not written yet are counted from memory");

        // The flusher's delay starts on its own task: move the clock on by an interval until it has fired.
        await WaitUntilAsync(async () =>
        {
            time.Advance(TimeSpan.FromMinutes(1));
            return await StoredAsync(store, account, hour10, 2) == 5;
        });
        (await StoredAsync(store, account, hour10, 1)).ShouldBe(3);
        counter.Unflushed(account, 0, long.MaxValue).ShouldBe(0);
        (await flusher.CallsAsync(account, hour10, hour10 + 2 * 3_600_000, Ct)).ShouldBe(5, "written calls are not counted again from memory");

        counter.Count(account);
        await flusher.StopAsync(Ct);
        (await StoredAsync(store, account, hour10, 1)).ShouldBe(3);
        (await StoredAsync(store, account, hour10, 48)).ShouldBe(6);
        counter.Unflushed(account, 0, long.MaxValue).ShouldBe(0);
    }

    [Fact]
    public async Task Calls_counted_in_memory_are_written_when_the_server_stops()
    {
        await using var store = await SharedStore.CreateAsync();
        long account;
        await using (var first = await store.StartAsync())
        {
            var client = await first.NewAccountAsync();
            account = client.AccountId;
            await client.GetJsonAsync("/v3/identity");
            await client.GetJsonAsync("/v3/identity");
            (await first.Services.GetRequiredService<ConsumptionStore>().ApiCallsAsync(account, 0, long.MaxValue, Ct)).ShouldBe(0, "written every minute, not at once");
        }

        await using var second = await store.StartAsync();
        (await second.Services.GetRequiredService<ConsumptionStore>().ApiCallsAsync(account, 0, long.MaxValue, Ct)).ShouldBe(2);
    }

    private static Task<long> StoredAsync(ConsumptionStore store, long account, long fromHour, int hours) =>
        store.ApiCallsAsync(account, fromHour, fromHour + hours * 3_600_000L, Ct);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met in time");
            await Task.Delay(10, Ct);
        }
    }
}
