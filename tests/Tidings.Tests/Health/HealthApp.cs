using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Health;

/// <summary>
/// A server of its own for one health test (the tests stop its parts or break its store), on the suite's provider,
/// with extra settings and, for the caching tests, a fake clock.
/// </summary>
public sealed class HealthApp(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null) : TidingsApp
{
    public static async Task<HealthApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var app = new HealthApp(settings, time);
        await app.InitializeAsync();
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        if (time is not null) builder.ConfigureTestServices(s => s.AddSingleton(time));
    }
}

/// <summary>Reading the health answers.</summary>
internal static class HealthCalls
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<(HttpStatusCode Status, JsonObject Body)> ReadyzAsync(this HttpClient http)
    {
        var response = await http.GetAsync("/readyz", Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject());
    }

    /// <summary>The state of one named check in a <c>/readyz</c> body.</summary>
    public static string? StateOf(this JsonObject body, string check) =>
        body["checks"]!.AsArray().SingleOrDefault(c => (string?)c!["name"] == check)?["state"]?.GetValue<string>();

    /// <summary>Polls <c>/readyz</c> (whose answer is cached for a second) until it answers <paramref name="expected"/>, within a bound.</summary>
    public static async Task<JsonObject> ReadyzUntilAsync(this HttpClient http, HttpStatusCode expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var (status, body) = await http.ReadyzAsync();
            if (status == expected) return body;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"/readyz still answers {(int)status}, not {(int)expected}: {body.ToJsonString()}");
            await Task.Delay(100, Ct);
        }
    }
}
