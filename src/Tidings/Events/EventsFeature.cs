using Microsoft.Extensions.Options;
using Tidings.Events.Intake;
using Tidings.Storage;
using Tidings.Telemetry;

namespace Tidings.Events;

internal static class EventsFeature
{
    public static WebApplicationBuilder AddEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<IntakeLogOptions>().BindConfiguration(IntakeLogOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<StorageOptions>>((o, storage) => o.IntakeLog != IntakeLogMode.On || storage.Value.Provider == StorageProvider.Sqlite,
                "Events:IntakeLog: On is supported with SQLite only (PostgreSQL nodes share no disk); use Auto or Off.")
            .Validate<IOptions<StorageOptions>>((o, storage) => !JournalIntake.IsEnabled(o, storage.Value) || o.IntakeMaxDeferredBytes <= o.IntakeMaxBacklogBytes,
                "Events:IntakeMaxDeferredBytes must not exceed Events:IntakeMaxBacklogBytes.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Enricher>();
        builder.Services.AddSingleton<JournalIntake>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalIntake>()); // starts before, stops after the writer
        builder.Services.AddTidingsInstruments<EventsMetrics>();
        builder.Services.AddSingleton<JournalWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalWriter>());
        builder.Services.AddSingleton<ProfileEventRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProfileEventRetention>());
        builder.Services.AddSingleton<Journal.IRetentionRule>(sp => sp.GetRequiredService<ProfileEventRetention>());
        return builder;
    }
}
