using Tidings.Telemetry;

namespace Tidings.Journal;

internal static class JournalFeature
{
    /// <summary>The journal's readers, head, signal and queries, shared by every consumer (webhooks, log files, statistics, replays).</summary>
    public static WebApplicationBuilder AddJournal(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JournalHorizonOptions>().BindConfiguration(JournalHorizonOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JournalHorizon>();
        builder.Services.AddHostedService<JournalHorizonCheck>();
        builder.Services.AddSingleton<JournalReader>();
        builder.Services.AddSingleton<JournalHead>();
        builder.Services.AddSingleton<JournalSignal>();
        builder.Services.AddTidingsInstruments<JournalMetrics>();
        builder.Services.AddSingleton<JournalLogScans>();
        builder.Services.AddSingleton<JournalRetention>();
        builder.Services.AddSingleton<JournalStatistics>();
        builder.Services.AddSingleton<JournalLookups>();
        return builder;
    }
}
