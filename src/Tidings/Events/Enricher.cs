using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Tidings.Profiles;
using Tidings.Storage;

namespace Tidings.Events;

/// <summary>What a mailing contributes to every event about its messages. Immutable once the mailing exists.</summary>
internal sealed record MailingFacts(long Id, long TemplateId, string Subject, string SenderDomain, JsonArray Tags, JsonArray Links);

/// <summary>
/// Adds to events what the producer does not know: the email address, the profile (and subprofile) with its current
/// field values and interests, the database and collection, and the mailing's tags. Works a batch at a time, with
/// one query per kind of lookup, inside the journal's write transaction, so an event carries the facts as they were
/// when it happened.
/// </summary>
internal sealed class Enricher(FieldCache fieldCache, IStorage storage, Microsoft.Extensions.Options.IOptions<EventsOptions> options)
{
    private const string DestinationColumns =
        "id, account_id AS AccountId, mailing_id AS MailingId, message_id AS MessageId, token, profile_id AS ProfileId, subprofile_id AS SubprofileId, database_id AS DatabaseId, collection_id AS CollectionId, email";

    private readonly ConcurrentDictionary<long, MailingFacts> _mailings = new();
    private readonly ConcurrentDictionary<(DestinationKey, string), DestinationRef> _destinations = new();
    private readonly ConcurrentDictionary<long, (long Generation, string Json)> _enriched = new();

    /// <summary>The destinations with the given tokens or message ids; unknown keys are absent from the result.</summary>
    public async Task<Dictionary<string, DestinationRef>> FindDestinationsAsync(DbConnection c, DbTransaction? tx, DestinationKey kind, IReadOnlyCollection<string> keys)
    {
        var result = new Dictionary<string, DestinationRef>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (_destinations.TryGetValue((kind, key), out var cached)) result[key] = cached; else missing.Add(key);
        }

        if (missing.Count == 0) return result;
        var column = kind == DestinationKey.Token ? "token" : "message_id";
        var capacity = options.Value.DestinationCacheSize;
        foreach (var chunk in missing.Chunk(500))
        {
            var rows = await c.QueryAsync<DestinationRow>($"SELECT {DestinationColumns} FROM destinations WHERE {storage.Dialect.InList(column, "@keys")}", new { keys = chunk }, tx);
            foreach (var r in rows)
            {
                var d = r.ToRef();
                var key = kind == DestinationKey.Token ? d.Token : d.MessageId;
                result[key] = d;
                if (capacity <= 0) continue;
                if (_destinations.Count >= capacity) _destinations.Clear(); // crude but bounded; hot keys come back at once
                _destinations[(kind, key)] = d;
            }
        }

        return result;
    }

    /// <summary>The enriched payload for each destination: mailing facts, email, profile, subprofile, fields, interests.</summary>
    public async Task<Dictionary<long, JsonObject>> EnrichAsync(DbConnection c, DbTransaction? tx, IReadOnlyCollection<DestinationRef> destinations)
    {
        var result = new Dictionary<long, JsonObject>();
        if (destinations.Count == 0) return result;

        var profileFields = new Dictionary<long, JsonObject>();
        foreach (var group in destinations.GroupBy(d => d.DatabaseId))
        {
            var table = new ValueTable(ProfileTables.ForDatabase(group.Key), await fieldCache.ListAsync(c, tx, group.Key, 0), false);
            foreach (var row in await ReadRowsAsync(c, tx, table, group.Select(d => d.ProfileId)))
            {
                profileFields[row.Id] = table.ToJson(row.Values, row.IsRemoved);
            }
        }

        var subprofileFields = new Dictionary<long, JsonObject>();
        foreach (var group in destinations.Where(d => d.SubprofileId is not null).GroupBy(d => d.CollectionId))
        {
            var collection = new CollectionRecord { Id = group.Key, DatabaseId = group.First().DatabaseId };
            // A removed collection's table is gone: its subprofiles' events go out without their fields.
            if (await SubprofileStore.ExistingTableAsync(c, tx, collection) is not { } table) continue;
            foreach (var row in await ReadRowsAsync(c, tx, table, group.Select(d => d.SubprofileId!.Value)))
            {
                subprofileFields[row.Id] = table.ToJson(row.Values, row.IsRemoved);
            }
        }

        var interests = new Dictionary<long, JsonArray>();
        foreach (var chunk in destinations.Select(d => d.ProfileId).Distinct().Chunk(500))
        {
            var rows = await c.QueryAsync<(long ProfileId, string Name)>(
                $"SELECT pi.profile_id, i.name FROM profile_interests pi JOIN interests i ON i.id = pi.interest_id WHERE {storage.Dialect.InList("pi.profile_id", "@ids")} ORDER BY i.id", new { ids = chunk }, tx);
            foreach (var (profileId, name) in rows)
            {
                if (!interests.TryGetValue(profileId, out var list)) interests[profileId] = list = [];
                list.Add(name);
            }
        }

        foreach (var d in destinations)
        {
            var mailing = await MailingAsync(c, tx, d.MailingId);
            var payload = new JsonObject
            {
                ["message"] = d.MessageId,
                ["mailing"] = d.MailingId,
                ["destination"] = d.Id,
                ["template"] = mailing.TemplateId,
                ["subject"] = mailing.Subject,
                ["senderdomain"] = mailing.SenderDomain,
                ["tags"] = mailing.Tags.DeepClone(),
                ["email"] = d.Email,
                ["profile"] = d.ProfileId,
                ["subprofile"] = d.SubprofileId,
                ["database"] = d.DatabaseId,
                ["collection"] = d.CollectionId == 0 ? null : d.CollectionId,
                ["fields"] = profileFields.GetValueOrDefault(d.ProfileId)?.DeepClone() ?? new JsonObject(),
                ["interests"] = interests.GetValueOrDefault(d.ProfileId)?.DeepClone() ?? new JsonArray(),
            };
            if (d.SubprofileId is { } sid) payload["subprofilefields"] = subprofileFields.GetValueOrDefault(sid)?.DeepClone() ?? new JsonObject();
            result[d.Id] = payload;
        }

        return result;
    }

    /// <summary>
    /// The enrichment of each destination serialised as JSON. Taken from memory when it was built at the same
    /// <see cref="WriteContext.ProfileGeneration"/> (no unit of work that may change profile data has run since, so
    /// building it again would give the same text); built now otherwise. Nothing is cached where the store cannot
    /// vouch for that (PostgreSQL).
    /// </summary>
    public async Task<Dictionary<long, string>> EnrichedJsonAsync(WriteContext w, IReadOnlyCollection<DestinationRef> destinations)
    {
        var result = new Dictionary<long, string>(destinations.Count);
        var generation = w.ProfileGeneration;
        var missing = new List<DestinationRef>();
        foreach (var d in destinations)
        {
            if (generation is { } g && _enriched.TryGetValue(d.Id, out var cached) && cached.Generation == g) result[d.Id] = cached.Json;
            else missing.Add(d);
        }

        if (missing.Count == 0) return result;
        var capacity = options.Value.EnrichmentCacheSize;
        foreach (var (id, payload) in await EnrichAsync(w.Connection, w.Transaction, missing))
        {
            var json = payload.ToJsonString();
            result[id] = json;
            if (generation is not { } g || capacity <= 0) continue;
            if (_enriched.Count >= capacity) _enriched.Clear(); // crude but bounded, like the destination cache
            _enriched[id] = (g, json);
        }

        return result;
    }

    /// <summary>The facts of a mailing, cached: tags, template, subject and links do not change after creation.</summary>
    public async ValueTask<MailingFacts> MailingAsync(DbConnection c, DbTransaction? tx, long mailingId)
    {
        if (_mailings.TryGetValue(mailingId, out var cached)) return cached;
        var row = await c.QuerySingleAsync<(long Id, long TemplateId, string Subject, string SenderDomain, string Tags, string Links)>(
            "SELECT id, template_id, subject, sender_domain, tags, links FROM mailings WHERE id = @mailingId", new { mailingId }, tx);
        var facts = new MailingFacts(row.Id, row.TemplateId, row.Subject, row.SenderDomain,
            JsonNode.Parse(row.Tags) as JsonArray ?? [], JsonNode.Parse(row.Links) as JsonArray ?? []);
        return _mailings.GetOrAdd(mailingId, facts);
    }

    private static async Task<List<ValueRow>> ReadRowsAsync(DbConnection c, DbTransaction? tx, ValueTable table, IEnumerable<long> ids)
    {
        var rows = new List<ValueRow>();
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var where = "id IN (" + string.Join(',', chunk.Select(i => i.ToString(CultureInfo.InvariantCulture))) + ")";
            rows.AddRange(await table.ReadAsync(c, tx, where, new DynamicParameters()));
        }

        return rows;
    }

    private sealed class DestinationRow
    {
        public long Id { get; set; }
        public long AccountId { get; set; }
        public long MailingId { get; set; }
        public string MessageId { get; set; } = "";
        public string Token { get; set; } = "";
        public long ProfileId { get; set; }
        public long? SubprofileId { get; set; }
        public long DatabaseId { get; set; }
        public long CollectionId { get; set; }
        public string Email { get; set; } = "";

        public DestinationRef ToRef() => new(Id, AccountId, MailingId, MessageId, Token, ProfileId, SubprofileId, DatabaseId, CollectionId, Email);
    }
}
