using System.Text.Json.Nodes;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Appends records to the event journal inside a caller's write transaction, so a change and its record commit or
/// roll back together. The profile change capture uses this; the journal is the one ordered log every consumer reads.
/// </summary>
internal static class ChangeJournal
{
    public static async Task AppendAsync(WriteContext w, long accountId, string type, long occurredMs, JsonObject payload)
    {
        await using var inserter = JournalInserter.Create(w);
        await inserter.InsertAsync(new JournalRow(accountId, type, occurredMs, payload));
    }

    /// <summary>A stable, unique, time-ordered event id.</summary>
    public static string NewEventId() => Guid.CreateVersion7().ToString("N");
}
