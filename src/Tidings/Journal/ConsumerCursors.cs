using System.Data.Common;
using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Where each consumer of the journal has got to: a named position in <c>consumer_cursors</c> (everything up to it is
/// done with). The lowest position bounds the retention sweep, so a consumer never loses a row it has not passed. A
/// position read by a consumer holds by the promise of <see cref="JournalReader"/>.
/// </summary>
internal static class ConsumerCursors
{
    /// <summary>The positions whose names start with <paramref name="prefix"/>, by name.</summary>
    public static async Task<Dictionary<string, long>> ReadAllAsync(DbConnection c, string prefix) =>
        (await c.QueryAsync<(string Name, long Seq)>("SELECT name, seq FROM consumer_cursors WHERE name LIKE @pattern", new { pattern = prefix + "%" }))
        .ToDictionary(r => r.Name, r => r.Seq);

    /// <summary>The lowest position of all consumers (null: there are none).</summary>
    public static async Task<long?> LowestAsync(IStorage storage, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(seq) FROM consumer_cursors", cancellationToken: ct));
    }

    /// <summary>Creates the cursor at the journal's end unless it exists.</summary>
    public static Task StartAtEndAsync(WriteContext w, string name) => w.Connection.ExecuteAsync(
        "INSERT INTO consumer_cursors (name, seq) SELECT @name, COALESCE(MAX(seq), 0) FROM journal WHERE true ON CONFLICT (name) DO NOTHING",
        new { name }, w.Transaction);

    /// <summary>A cursor's position (0 when it does not exist).</summary>
    public static Task<long> ReadAsync(WriteContext w, string name) =>
        w.Connection.ExecuteScalarAsync<long>("SELECT seq FROM consumer_cursors WHERE name = @name", new { name }, w.Transaction);

    /// <summary>
    /// Takes the cursor for this transaction (creating it at 0) and returns its position; on PostgreSQL the row lock
    /// makes another node wait for this transaction and then continue after it.
    /// </summary>
    public static async Task<long> TakeAsync(WriteContext w, string name)
    {
        await w.Connection.ExecuteAsync("INSERT INTO consumer_cursors (name, seq) VALUES (@name, 0) ON CONFLICT (name) DO NOTHING", new { name }, w.Transaction);
        var lockClause = w.Dialect.Provider == StorageProvider.Postgres ? " FOR UPDATE" : "";
        return await w.Connection.ExecuteScalarAsync<long>($"SELECT seq FROM consumer_cursors WHERE name = @name{lockClause}", new { name }, w.Transaction);
    }

    /// <summary>Sets a cursor taken with <see cref="TakeAsync"/>.</summary>
    public static Task SetAsync(WriteContext w, string name, long seq) =>
        w.Connection.ExecuteAsync("UPDATE consumer_cursors SET seq = @seq WHERE name = @name", new { seq, name }, w.Transaction);

    /// <summary>Moves an existing cursor forward (never back); a removed cursor stays removed.</summary>
    public static Task AdvanceAsync(WriteContext w, string name, long seq) =>
        w.Connection.ExecuteAsync("UPDATE consumer_cursors SET seq = @seq WHERE name = @name AND seq < @seq", new { seq, name }, w.Transaction);

    /// <summary>
    /// Replaces a cursor with the position a consumer computes from its own tables: <paramref name="positionQuery"/>
    /// yields one column <c>seq</c> in at most one row; no row removes the cursor.
    /// </summary>
    public static async Task ReplaceAsync(WriteContext w, string name, string positionQuery)
    {
        await w.Connection.ExecuteAsync("DELETE FROM consumer_cursors WHERE name = @name", new { name }, w.Transaction);
        await w.Connection.ExecuteAsync($"INSERT INTO consumer_cursors (name, seq) SELECT @name, p.seq FROM ({positionQuery}) p", new { name }, w.Transaction);
    }

    public static Task RemoveAsync(WriteContext w, string name) =>
        w.Connection.ExecuteAsync("DELETE FROM consumer_cursors WHERE name = @name", new { name }, w.Transaction);
}
