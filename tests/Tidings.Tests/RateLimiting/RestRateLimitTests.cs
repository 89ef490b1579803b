using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Consumption;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.RateLimiting;

/// <summary>
/// REST over the per-token limit: Copernica's 400 error with <c>Retry-After</c>, nothing done and nothing counted;
/// each token has its own budget; the mail transfer agent's results are not limited; one log line per window.
/// </summary>
public sealed class RestRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Uses up a token's budget with reads.</summary>
    private static async Task UseUpAsync(ApiClient client)
    {
        for (var i = 0; i < RateLimitedApp.PermitLimit; i++) (await client.GetAsync("/v3/databases")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private long CountedCalls(long accountId) => app.Services.GetRequiredService<ApiCallCounter>().Unflushed(accountId, 0, long.MaxValue);

    [Fact]
    public async Task A_write_over_the_limit_is_refused_with_400_Copernicas_error_and_Retry_After_and_changes_and_counts_nothing()
    {
        var writer = await app.NewAccountAsync();
        var reader = await app.NewTokenAsync(writer, canWrite: false);
        var db = await writer.CreateAsync("/v3/databases", new { name = "Shop" });
        await writer.CreateProfileAsync(db, new { });
        await writer.CreateProfileAsync(db, new { });
        var counted = CountedCalls(writer.AccountId);

        var refused = await writer.PostJsonAsync($"/v3/database/{db}/profiles", new { fields = new { } });

        await refused.ShouldBeCopernicaErrorAsync();
        var message = JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        message.ShouldStartWith("Rate limit exceeded: at most 3 calls per 3600 seconds for this access token");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        retryAfter.ShouldNotBeNull("a refused call says when to try again");
        retryAfter.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CountedCalls(writer.AccountId).ShouldBe(counted, "a refused call is not an API call of the account");
        (await reader.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(2, "the refused write created nothing");
    }

    [Fact]
    public async Task Each_token_has_its_own_budget()
    {
        var first = await app.NewAccountAsync();
        var second = await app.NewTokenAsync(first, canWrite: true);
        await UseUpAsync(first);
        await (await first.GetAsync("/v3/databases")).ShouldBeCopernicaErrorAsync();

        await UseUpAsync(second);
        await (await second.GetAsync("/v3/databases")).ShouldBeCopernicaErrorAsync();
    }

    [Fact]
    public async Task The_Bearer_header_and_the_query_parameter_share_one_budget()
    {
        var client = await app.NewAccountAsync();
        await UseUpAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/databases");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Token);
        await (await app.CreateClient().SendAsync(request, Ct)).ShouldBeCopernicaErrorAsync();
    }

    [Fact]
    public async Task Unknown_tokens_get_Copernicas_invalid_token_error_not_the_rate_limit()
    {
        var http = app.CreateClient();
        for (var i = 0; i < RateLimitedApp.PermitLimit + 2; i++)
        {
            await (await http.GetAsync("/v3/databases?access_token=not-a-token", Ct)).ShouldBeCopernicaErrorAsync("Invalid access token");
        }
    }

    [Fact]
    public async Task The_mail_transfer_agents_results_are_not_limited()
    {
        var client = await app.NewAccountAsync();
        await UseUpAsync(client);
        for (var i = 0; i < RateLimitedApp.PermitLimit + 1; i++)
        {
            // The endpoint itself answers (an empty report is its own error), not the rate limit.
            await (await client.SendAsync(HttpMethod.Post, "/v3/mta/results", "[]")).ShouldBeCopernicaErrorAsync("The request body holds no results");
        }
    }

    [Fact]
    public async Task A_callers_refusals_are_logged_once_per_window_by_token_id_never_with_the_token()
    {
        var client = await app.NewAccountAsync("Logged");
        await UseUpAsync(client);
        for (var i = 0; i < 3; i++) await (await client.GetAsync("/v3/databases")).ShouldBeCopernicaErrorAsync();

        var lines = app.Logs.Entries.Where(e => e.Contains("[19300]", StringComparison.Ordinal) && e.Contains($"account {client.AccountId} ", StringComparison.Ordinal)).ToList();
        lines.Count.ShouldBe(1, string.Join('\n', lines));
        lines[0].ShouldContain("access token ");
        app.Logs.Entries.ShouldNotContain(e => e.Contains(client.Token, StringComparison.Ordinal));
    }
}

/// <summary>With <c>RateLimiting:RejectionStatus</c> 429: the same error body and <c>Retry-After</c>, status 429.</summary>
public sealed class RestRateLimit429Tests(RateLimited429App app) : IClassFixture<RateLimited429App>
{
    [Fact]
    public async Task A_call_over_the_limit_is_answered_429_with_Copernicas_error_body_and_Retry_After()
    {
        var client = await app.NewAccountAsync();
        for (var i = 0; i < RateLimitedApp.PermitLimit; i++) (await client.GetAsync("/v3/databases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await client.GetAsync("/v3/databases");

        var text = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, text);
        refused.Content.Headers.ContentType?.ToString().ShouldBe("application/json");
        JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>().ShouldStartWith("Rate limit exceeded");
        refused.Headers.RetryAfter?.Delta.ShouldNotBeNull();
    }
}

/// <summary>A used-up budget comes back when the window ends (a one-second window, waited for with a bound).</summary>
public sealed class RateLimitRefillTests(ShortWindowApp app) : IClassFixture<ShortWindowApp>
{
    [Fact]
    public async Task A_refused_token_is_admitted_again_in_the_next_window()
    {
        var client = await app.NewAccountAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do status = (await client.GetAsync("/v3/databases")).StatusCode;
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.BadRequest, "the token is refused once its budget is used up");

        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            status = (await client.GetAsync("/v3/databases")).StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.OK, "the next window brings the budget back");
    }
}

/// <summary>Off by default: far more calls than the default limit are never refused.</summary>
public sealed class RateLimitOffByDefaultTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Without_settings_no_call_is_refused()
    {
        var client = await app.NewAccountAsync();
        for (var i = 0; i < 250; i++) (await client.GetAsync("/v3/databases")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
