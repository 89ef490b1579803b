using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Mailings;

/// <summary>What a client gives to create a mailing (<c>POST ms/emailing</c> plus Tidings' extensions).</summary>
internal sealed record MailingSpec(string TargetType, string Target, long TemplateId, string Subject, string FromName, string FromEmail, string SenderDomain, IReadOnlyList<string> Tags, IReadOnlyList<string> Links, string Type);

/// <summary>Mailings and destinations of an account.</summary>
internal sealed class MailingStore(IStorage storage, CopernicaTime time, DatabaseStore databases, ProfileStore profiles, SubprofileStore subprofiles, MailingExpansionSignal signal)
{
    private const string Columns =
        "id, account_id AS AccountId, target_type AS TargetType, target_id AS TargetId, database_id AS DatabaseId, collection_id AS CollectionId, template_id AS TemplateId, subject, " +
        "from_name AS FromName, from_email AS FromEmail, sender_domain AS SenderDomain, tags, links, type, status, expansion_cursor AS ExpansionCursor, destinations, created";

    private const string DestinationColumns =
        "id, mailing_id AS MailingId, message_id AS MessageId, token, profile_id AS ProfileId, subprofile_id AS SubprofileId, email, sent";

    public static readonly string[] TargetTypes = ["database", "collection", "profile", "subprofile"];

    /// <summary>The mailing a tracking token was sent in, or null for an unknown token; on the caller's connection (a click reads the mailing's links next).</summary>
    public static Task<long?> MailingOfTokenAsync(System.Data.Common.DbConnection connection, string token, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT mailing_id FROM destinations WHERE token = @token", new { token }, cancellationToken: ct));

    public async Task<long> CreateAsync(long accountId, MailingSpec spec, CancellationToken ct)
    {
        var (targetId, databaseId, collectionId) = await ResolveTargetAsync(accountId, spec, ct);
        var id = await storage.WriteAsync(w => w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO mailings (account_id, target_type, target_id, database_id, collection_id, template_id, subject, from_name, from_email, sender_domain, tags, links, type, created) " +
            "VALUES (@accountId, @TargetType, @targetId, @databaseId, @collectionId, @TemplateId, @Subject, @FromName, @FromEmail, @SenderDomain, @tags, @links, @Type, @now) RETURNING id",
            new
            {
                accountId, spec.TargetType, targetId, databaseId, collectionId, spec.TemplateId, spec.Subject, spec.FromName, spec.FromEmail, spec.SenderDomain,
                tags = new JsonArray(spec.Tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()).ToJsonString(),
                links = new JsonArray(spec.Links.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()).ToJsonString(),
                spec.Type, now = time.NowMs(),
            }, w.Transaction), ct);
        signal.Notify();
        return id;
    }

    private async Task<(long TargetId, long DatabaseId, long CollectionId)> ResolveTargetAsync(long accountId, MailingSpec spec, CancellationToken ct)
    {
        switch (spec.TargetType)
        {
            case "database":
            {
                var d = await databases.RequireDatabaseAsync(accountId, spec.Target, ct);
                return (d.Id, d.Id, 0);
            }

            case "collection":
            {
                var c = await databases.RequireCollectionAsync(accountId, spec.Target, ct);
                return (c.Id, c.DatabaseId, c.Id);
            }

            case "profile":
            {
                var p = await profiles.RequireAsync(accountId, spec.Target, ct);
                if (p.Row.IsRemoved) throw new RequestRejectedException(CopernicaErrors.ProfileAlreadyRemoved);
                return (p.Row.Id, p.Database.Id, 0);
            }

            case "subprofile":
            {
                var s = await subprofiles.RequireAsync(accountId, spec.Target, ct);
                if (s.Row.IsRemoved) throw new RequestRejectedException(CopernicaErrors.SubprofileAlreadyRemoved);
                return (s.Row.Id, s.Database.Id, s.Collection.Id);
            }

            default:
                throw new RequestRejectedException($"Invalid targettype '{spec.TargetType}': expected one of {string.Join(", ", TargetTypes)}");
        }
    }

    public async Task<MailingRecord?> FindAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var mailingId)) return null;
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<MailingRecord>($"SELECT {Columns} FROM mailings WHERE id = @mailingId AND account_id = @accountId", new { mailingId, accountId });
    }

    public async Task<MailingRecord> RequireAsync(long accountId, string id, CancellationToken ct) =>
        await FindAsync(accountId, id, ct) ?? throw new RequestRejectedException("No emailing with supplied ID");

    /// <summary>Mailings of the account, newest last, with Copernica's list filters.</summary>
    public async Task<(IReadOnlyList<MailingRecord> Items, long Total)> ListAsync(long accountId, Paging paging, HttpRequest request, CancellationToken ct)
    {
        var where = "account_id = @accountId";
        var p = new DynamicParameters();
        p.Add("accountId", accountId);
        var type = request.Query["type"].ToString().ToLowerInvariant();
        if (type is "mass" or "individual")
        {
            where += " AND type = @type";
            p.Add("type", type);
        }

        if (request.Query.ContainsKey("mindestinations"))
        {
            where += " AND destinations >= @min";
            p.Add("min", QueryValues.PhpInt(request.Query["mindestinations"]));
        }

        if (request.Query.ContainsKey("maxdestinations"))
        {
            where += " AND destinations <= @max";
            p.Add("max", QueryValues.PhpInt(request.Query["maxdestinations"]));
        }

        if (request.Query.TryGetValue("fromdate", out var from) && time.ParseLocal(from.ToString()) is { } fromMs)
        {
            where += " AND created >= @fromMs";
            p.Add("fromMs", fromMs);
        }

        if (request.Query.TryGetValue("todate", out var to) && time.ParseLocal(to.ToString()) is { } toMs)
        {
            where += " AND created <= @toMs";
            p.Add("toMs", toMs);
        }

        p.Add("take", paging.Take);
        p.Add("skip", paging.Offset);
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<MailingRecord>($"SELECT {Columns} FROM mailings WHERE {where} ORDER BY id LIMIT @take OFFSET @skip", p)).ToList();
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM mailings WHERE {where}", p);
        return (items, total);
    }

    /// <summary>A page of the account's mailings, newest first, and how many it has (the dashboard's statistics list).</summary>
    public async Task<(IReadOnlyList<MailingRecord> Items, long Total)> NewestAsync(long accountId, long skip, int take, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<MailingRecord>(
            $"SELECT {Columns} FROM mailings WHERE account_id = @accountId ORDER BY id DESC LIMIT @take OFFSET @skip", new { accountId, take, skip })).ToList();
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mailings WHERE account_id = @accountId", new { accountId });
        return (items, total);
    }

    public async Task<(IReadOnlyList<DestinationRecord> Items, long Total)> DestinationsAsync(long mailingId, Paging paging, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<DestinationRecord>(
            $"SELECT {DestinationColumns} FROM destinations WHERE mailing_id = @mailingId ORDER BY id LIMIT @take OFFSET @skip", new { mailingId, take = paging.Take, skip = paging.Offset })).ToList();
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM destinations WHERE mailing_id = @mailingId", new { mailingId });
        return (items, total);
    }

    /// <summary>A destination of the account by numeric id or by message id (which may consist of digits only).</summary>
    public async Task<DestinationRecord?> FindDestinationAsync(long accountId, string idOrMessageId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var byId = RestIds.TryParse(idOrMessageId, out var id)
            ? await c.QuerySingleOrDefaultAsync<DestinationRecord>($"SELECT {DestinationColumns} FROM destinations WHERE id = @id AND account_id = @accountId", new { id, accountId })
            : null;
        return byId ?? await c.QuerySingleOrDefaultAsync<DestinationRecord>($"SELECT {DestinationColumns} FROM destinations WHERE message_id = @idOrMessageId AND account_id = @accountId", new { idOrMessageId, accountId });
    }

    /// <summary>A message id as the MTA sees it: 16 lower-case letters and digits (Copernica's form).</summary>
    public static string NewMessageId() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 16);

    /// <summary>An unguessable tracking token (128 random bits, URL-safe).</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
