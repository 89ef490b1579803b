using System.Globalization;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.Mailings;

/// <summary>Wakes the expander when a mailing is created.</summary>
internal sealed class MailingExpansionSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    public ValueTask<bool> WaitAsync(CancellationToken ct) => _channel.Reader.WaitToReadAsync(ct);

    public void Reset() => _channel.Reader.TryRead(out _);
}

/// <summary>
/// Prepares mailings: gives every profile or subprofile of the target a destination (message id and tracking token)
/// and an <c>attempt</c> event, a batch per transaction. The progress (<c>destinations</c>, <c>expansion_cursor</c>)
/// is stored with each batch, so the work is visible while it runs and resumes after a restart where it stopped.
/// </summary>
internal sealed class MailingExpander(
    IStorage storage, Enricher enricher, CopernicaTime time, TimeProvider clock, MailingExpansionSignal signal, IOptions<MailingsOptions> options, ILogger<MailingExpander> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            signal.Reset();
            try
            {
                while (await ExpandNextBatchAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.PreparingMailingsFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                continue;
            }

            try
            {
                await signal.WaitAsync(stoppingToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), clock, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Expands one batch of the oldest mailing still being prepared; false when there is nothing to do.</summary>
    public Task<bool> ExpandNextBatchAsync(CancellationToken ct) => storage.WriteAsync(async w =>
    {
        w.LeavesProfilesAlone(); // adds destinations and their attempt events; reads profiles only
        var mailing = await w.Connection.QuerySingleOrDefaultAsync<MailingRecord>(
            "SELECT id, account_id AS AccountId, target_type AS TargetType, target_id AS TargetId, database_id AS DatabaseId, collection_id AS CollectionId, expansion_cursor AS ExpansionCursor, destinations " +
            "FROM mailings WHERE status = 'preparing' ORDER BY id LIMIT 1", transaction: w.Transaction);
        if (mailing is null) return false;

        var batchSize = options.Value.ExpansionBatchSize;
        var targets = await TargetsAsync(w, mailing, batchSize);
        var now = time.NowMs();
        var created = new List<DestinationRef>(targets.Count);
        foreach (var t in targets)
        {
            var messageId = MailingStore.NewMessageId();
            var token = MailingStore.NewToken();
            var id = await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO destinations (account_id, mailing_id, message_id, token, profile_id, subprofile_id, database_id, collection_id, email, sent) " +
                "VALUES (@AccountId, @MailingId, @messageId, @token, @ProfileId, @SubprofileId, @DatabaseId, @CollectionId, @Email, @now) RETURNING id",
                new { mailing.AccountId, MailingId = mailing.Id, messageId, token, t.ProfileId, t.SubprofileId, mailing.DatabaseId, mailing.CollectionId, t.Email, now }, w.Transaction);
            created.Add(new DestinationRef(id, mailing.AccountId, mailing.Id, messageId, token, t.ProfileId, t.SubprofileId, mailing.DatabaseId, mailing.CollectionId, t.Email));
        }

        var payloads = await enricher.EnrichAsync(w.Connection, w.Transaction, created);
        await using (var inserter = JournalInserter.Create(w))
        {
            foreach (var d in created)
            {
                await inserter.InsertAsync(new JournalRow(d.AccountId, EventTypes.Attempt, now, payloads[d.Id], d.MailingId, d.Id));
            }
        }

        var done = targets.Count < batchSize || mailing.TargetType is "profile" or "subprofile";
        await w.Connection.ExecuteAsync(
            "UPDATE mailings SET expansion_cursor = @cursor, destinations = destinations + @count, status = @status WHERE id = @Id",
            new { cursor = targets.Count > 0 ? targets[^1].Cursor : mailing.ExpansionCursor, count = targets.Count, status = done ? "sent" : "preparing", mailing.Id }, w.Transaction);
        return true;
    }, ct);

    private sealed record Target(long Cursor, long ProfileId, long? SubprofileId, string Email);

    private static async Task<List<Target>> TargetsAsync(WriteContext w, MailingRecord m, int batchSize)
    {
        var profileEmail = await EmailColumnAsync(w, m.DatabaseId, 0);
        var profileTable = ProfileTables.ForDatabase(m.DatabaseId);
        var profileEmailSql = profileEmail is null ? "''" : $"p.{profileEmail}";
        switch (m.TargetType)
        {
            case "database":
            case "profile":
            {
                var filter = m.TargetType == "profile" ? "p.id = @TargetId" : "p.id > @ExpansionCursor";
                var rows = await w.Connection.QueryAsync<(long Id, string Email)>(
                    $"SELECT p.id, {profileEmailSql} FROM {profileTable} p WHERE p.removed IS NULL AND {filter} ORDER BY p.id LIMIT {batchSize}",
                    new { m.TargetId, m.ExpansionCursor }, w.Transaction);
                return rows.Select(r => new Target(r.Id, r.Id, null, r.Email)).ToList();
            }

            default:
            {
                // Collections: the subprofile's own email field if it has one, else its profile's.
                var subEmail = await EmailColumnAsync(w, m.DatabaseId, m.CollectionId);
                var table = ProfileTables.ForCollection(m.CollectionId);
                var email = subEmail is null ? profileEmailSql : $"CASE WHEN s.{subEmail} <> '' THEN s.{subEmail} ELSE {profileEmailSql} END";
                var filter = m.TargetType == "subprofile" ? "s.id = @TargetId" : "s.id > @ExpansionCursor";
                var rows = await w.Connection.QueryAsync<(long Id, long ProfileId, string Email)>(
                    $"SELECT s.id, s.profile_id, {email} FROM {table} s JOIN {profileTable} p ON p.id = s.profile_id WHERE s.removed IS NULL AND {filter} ORDER BY s.id LIMIT {batchSize}",
                    new { m.TargetId, m.ExpansionCursor }, w.Transaction);
                return rows.Select(r => new Target(r.Id, r.ProfileId, r.Id, r.Email)).ToList();
            }
        }
    }

    /// <summary>The column holding the email address: the first field of type email, else a field named email.</summary>
    private static async Task<string?> EmailColumnAsync(WriteContext w, long databaseId, long collectionId)
    {
        var fields = await FieldStore.ListAsync(w.Connection, w.Transaction, databaseId, collectionId);
        var field = fields.All.FirstOrDefault(f => f.Type == "email") ?? fields.Find("email");
        return field?.Column;
    }

}
