using Tidings.Journal;
using Tidings.Rest;
using Tidings.Telemetry;

namespace Tidings.LogFiles;

internal static class LogFilesFeature
{
    public static WebApplicationBuilder AddLogFiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LogFilesOptions>().BindConfiguration(LogFilesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LocalDays>();
        builder.Services.AddSingleton<LogFileStore>();
        builder.Services.AddTidingsInstruments<LogFilesMetrics>();
        builder.Services.AddSingleton<DownloadTurns>();
        builder.Services.AddSingleton<LogFileStreamer>();
        builder.Services.AddSingleton<LogFileService>();
        builder.Services.AddSingleton<LogRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LogRetention>());
        builder.Services.AddSingleton<IRetentionRule>(sp => sp.GetRequiredService<LogRetention>());
        return builder;
    }

    public static WebApplication MapLogFiles(this WebApplication app)
    {
        LogFileEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}
