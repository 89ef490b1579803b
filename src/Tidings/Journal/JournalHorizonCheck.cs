using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Refuses to start on PostgreSQL when the journal's sequence caches values per connection (<see cref="JournalHorizon"/>
/// would be wrong). Runs after the migrations, which are registered before it.
/// </summary>
internal sealed class JournalHorizonCheck(IStorage storage, JournalHorizon horizon) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        storage.Dialect.Provider == StorageProvider.Postgres ? horizon.CheckAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
