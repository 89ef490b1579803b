using System.Text.Json.Nodes;
using Dapper;
using Tidings.Storage;

namespace Tidings.Events;

/// <summary>
/// Appends records to the event journal inside a caller's write transaction, so a change and its record commit or
/// roll back together. The profile change capture uses this; the journal is the one ordered log every consumer reads.
/// </summary>
public static class ChangeJournal
{
    public static async Task AppendAsync(WriteContext w, long accountId, string type, long occurredMs, JsonObject payload)
    {
        await w.LockJournalAsync();
        await w.Connection.ExecuteAsync(
            "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES (@id, @accountId, @type, @occurredMs, @payload)",
            new { id = NewEventId(), accountId, type, occurredMs, payload = payload.ToJsonString() }, w.Transaction);
    }

    /// <summary>A stable, unique, time-ordered event id.</summary>
    public static string NewEventId() => Guid.CreateVersion7().ToString("N");
}
