using Tidings.Events.Intake;

namespace Tidings.Events;

public static class EventsFeature
{
    public static WebApplicationBuilder AddEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Enricher>();
        builder.Services.AddSingleton<JournalIntake>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalIntake>()); // starts before, stops after the writer
        builder.Services.AddSingleton<JournalWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalWriter>());
        return builder;
    }
}
