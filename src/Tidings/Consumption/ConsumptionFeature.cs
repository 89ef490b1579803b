using System.Globalization;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Consumption;

/// <summary><c>GET consumption</c>: what the account used in a period, with Copernica's keys.</summary>
internal static class ConsumptionFeature
{
    public static WebApplicationBuilder AddConsumption(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsumptionOptions>().BindConfiguration(ConsumptionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiCallCounter>();
        builder.Services.AddSingleton<IApiCallCounter>(sp => sp.GetRequiredService<ApiCallCounter>());
        builder.Services.AddSingleton<ConsumptionStore>();
        builder.Services.AddSingleton<ApiCallFlusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApiCallFlusher>());
        return builder;
    }

    public static WebApplication MapConsumption(this WebApplication app)
    {
        app.MapCopernicaGroup().WithTags("Account").MapGet("/consumption", async (HttpContext http, ConsumptionStore store, ApiCallFlusher apiCalls, CopernicaTime time) =>
        {
            var begin = Day(http, "begin");
            var end = Day(http, "end");
            if (end < begin) throw new RequestRejectedException("Invalid period: end is before begin");
            var fromMs = StartOfDayMs(time, begin);
            var toMs = StartOfDayMs(time, end.AddDays(end.Year < 9999 ? 1 : 0));
            var accountId = http.Caller().AccountId;
            var emails = await store.EmailsAsync(accountId, fromMs, toMs, http.RequestAborted);
            var calls = await apiCalls.CallsAsync(accountId, fromMs, toMs, http.RequestAborted);
            return CopernicaJson.Json(ConsumptionAnswer.Of(emails, calls), ConsumptionJsonContext.Default.ConsumptionAnswer);
        }).WithSummary("What the account used from the day begin through the day end (YYYY-MM-DD, both required): emails sent and authenticated API calls; the other counters are 0");
        return app;
    }

    /// <summary>
    /// Where a local day starts, in Unix ms. Days before 1971 and in the year 9999 are clamped to the ends of the
    /// range (nothing was counted then), so no date gives an overflow.
    /// </summary>
    private static long StartOfDayMs(CopernicaTime time, DateOnly day) =>
        day.Year < 1971 ? 0
        : day.Year >= 9999 ? long.MaxValue
        : time.ParseLocal(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) ?? 0;

    /// <summary>A required day parameter, <c>YYYY-MM-DD</c> (a time after it is accepted and ignored: periods are whole days).</summary>
    private static DateOnly Day(HttpContext http, string name)
    {
        var text = QueryValues.Get(http.Request, name)?.Trim();
        if (string.IsNullOrEmpty(text)) throw new RequestRejectedException($"URL parameter {name} is required");
        var datePart = text.Length > 10 && text[10] is ' ' or 'T' ? text[..10] : text;
        return DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new RequestRejectedException($"Invalid value for {name}: expected a date YYYY-MM-DD");
    }
}
