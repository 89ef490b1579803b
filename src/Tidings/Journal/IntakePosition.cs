using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// How far the intake log has been made into journal rows (<c>journal_intake</c>): recorded in the same transaction
/// as the rows, so after a crash the intake resumes exactly where the journal stops.
/// </summary>
internal static class IntakePosition
{
    public static async Task<long> ReadAsync(IStorage storage, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT position FROM journal_intake WHERE id = 1", cancellationToken: ct)) ?? 0;
    }

    public static Task RecordAsync(WriteContext w, long position) => w.Connection.ExecuteAsync(
        "INSERT INTO journal_intake (id, position) VALUES (1, @position) ON CONFLICT (id) DO UPDATE SET position = excluded.position",
        new { position }, w.Transaction);
}
