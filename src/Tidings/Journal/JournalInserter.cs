using System.Data.Common;
using System.Text.Json.Nodes;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>One row for the journal.</summary>
internal sealed record JournalRow(long AccountId, string Type, long OccurredMs, JsonObject Payload, long? MailingId = null, long? DestinationId = null, string? DedupeKey = null);

/// <summary>
/// Appends many journal rows in a transaction with one prepared statement (the hot path of event ingest). A row whose
/// dedupe key was recorded before is skipped and reported as not inserted.
/// </summary>
internal sealed class JournalInserter : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter _id, _account, _type, _occurred, _payload, _mailing, _destination, _dedupe, _trace;

    private readonly WriteContext _context;

    private JournalInserter(WriteContext w)
    {
        _context = w;
        _command = w.Connection.CreateCommand();
        _command.Transaction = w.Transaction;
        _command.CommandText =
            "INSERT INTO journal (event_id, account_id, type, occurred, payload, mailing_id, destination_id, dedupe_key, trace_parent) " +
            "VALUES (@id, @account, @type, @occurred, @payload, @mailing, @destination, @dedupe, @trace) " +
            "ON CONFLICT (account_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING";
        _id = Add("id");
        _account = Add("account");
        _type = Add("type");
        _occurred = Add("occurred");
        _payload = Add("payload");
        _mailing = Add("mailing");
        _destination = Add("destination");
        _dedupe = Add("dedupe");
        _trace = Add("trace");
    }

    public static JournalInserter Create(WriteContext w) => new(w);

    /// <summary>Inserts a row; false when its dedupe key was already recorded.</summary>
    public Task<bool> InsertAsync(JournalRow row) =>
        InsertAsync(row.AccountId, row.Type, row.OccurredMs, row.Payload.ToJsonString(), row.MailingId, row.DestinationId, row.DedupeKey);

    /// <summary>Inserts a row whose payload is already serialised; false when its dedupe key was already recorded.</summary>
    /// <param name="traceParent">The trace context of the span that appended the event (kept beside it, never in the payload).</param>
    public async Task<bool> InsertAsync(long accountId, string type, long occurredMs, string payloadJson, long? mailingId, long? destinationId, string? dedupeKey, string? traceParent = null)
    {
        await JournalAppendOrder.BeforeAppendAsync(_context);
        _id.Value = ChangeJournal.NewEventId();
        _account.Value = accountId;
        _type.Value = type;
        _occurred.Value = occurredMs;
        _payload.Value = payloadJson;
        _mailing.Value = (object?)mailingId ?? DBNull.Value;
        _destination.Value = (object?)destinationId ?? DBNull.Value;
        _dedupe.Value = (object?)dedupeKey ?? DBNull.Value;
        _trace.Value = (object?)traceParent ?? DBNull.Value;
        if (await _command.ExecuteNonQueryAsync() == 0) return false;
        _context.CountJournalRow();
        return true;
    }

    private DbParameter Add(string name)
    {
        var p = _command.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = DBNull.Value;
        _command.Parameters.Add(p);
        return p;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
