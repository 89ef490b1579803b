using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.Profiles;

/// <summary>
/// The field lists of databases and collections, kept in memory so that creating, reading and listing profiles does
/// not query the <c>fields</c> table every time. Only with SQLite, where this process is the one writer: with
/// PostgreSQL other nodes change fields too, so every lookup reads the table.
/// </summary>
/// <remarks>
/// Every field change is bracketed by <see cref="BeginChange"/> and <see cref="EndChange"/> (the end after the change
/// committed or failed). While a change is under way lookups bypass the cache, so a write transaction sees its own
/// uncommitted fields and a reader sees the committed ones. Each change moves the generation on at its start and end;
/// an entry is used only when it was loaded in the current generation, so a list read before or during a change is
/// never served after it.
/// </remarks>
internal sealed class FieldCache(IOptions<StorageOptions> options)
{
    private readonly ConcurrentDictionary<(long DatabaseId, long CollectionId), (long Generation, FieldSet Fields)> _entries = new();
    private readonly bool _enabled = options.Value.Provider == StorageProvider.Sqlite;
    private long _generation;
    private int _changing;

    public async Task<FieldSet> ListAsync(DbConnection c, DbTransaction? tx, long databaseId, long collectionId)
    {
        if (!_enabled || Volatile.Read(ref _changing) > 0) return await FieldStore.ListAsync(c, tx, databaseId, collectionId);
        var generation = Interlocked.Read(ref _generation);
        var key = (databaseId, collectionId);
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation) return entry.Fields;

        var fields = await FieldStore.ListAsync(c, tx, databaseId, collectionId);
        if (Volatile.Read(ref _changing) == 0 && Interlocked.Read(ref _generation) == generation) _entries[key] = (generation, fields);
        return fields;
    }

    /// <summary>Runs a field change: the cache is bypassed from before it starts until after it has committed or failed.</summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change)
    {
        Interlocked.Increment(ref _changing);
        Interlocked.Increment(ref _generation);
        try
        {
            return await change();
        }
        finally
        {
            Interlocked.Increment(ref _generation);
            Interlocked.Decrement(ref _changing);
        }
    }
}
