using Microsoft.Extensions.Options;

namespace Tidings.Storage;

internal static class StorageFeature
{
    /// <summary>Registers the configured store and runs its migrations before the server starts listening.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(o.PostgresConnectionString),
                "Storage:PostgresConnectionString must be set when Storage:Provider is Postgres.")
            .Validate(o => o.Provider != StorageProvider.Postgres || o.StreamingReadConnections < o.PostgresPoolSize,
                "Storage:StreamingReadConnections must be below Storage:PostgresPoolSize, so normal requests always find a connection.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IStorage>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Postgres => ActivatorUtilities.CreateInstance<PostgresStorage>(sp),
            _ => ActivatorUtilities.CreateInstance<SqliteStorage>(sp),
        });
        builder.Services.AddSingleton<StreamingReads>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrateOnStart>();
        return builder;
    }

    private sealed class MigrateOnStart(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
