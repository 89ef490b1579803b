using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Webhooks.Outbound;
using Tidings.Rejections;

namespace Tidings.Webhooks.Domains;

/// <summary>A domain an account claims, with the challenge it must publish, and whether it has been validated.</summary>
internal sealed class DomainRecord
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public string Domain { get; init; } = "";
    public string TxtToken { get; init; } = "";
    public string FileName { get; init; } = "";
    public string FileContent { get; init; } = "";
    public long Created { get; init; }
    public long? ValidatedAt { get; init; }
    public string? Method { get; init; }

    /// <summary>The TXT record name to publish: <c>_tidings-challenge.&lt;domain&gt;</c>.</summary>
    public string TxtName => DomainStore.ChallengePrefix + Domain;

    /// <summary>The TXT record value to publish: <c>tidings-verification=&lt;token&gt;</c>.</summary>
    public string TxtValue => DomainStore.ValuePrefix + TxtToken;
}

/// <summary>The <c>validated_domains</c> table, and the ownership rule the delivery engine applies.</summary>
internal sealed class DomainStore(IStorage storage, CopernicaTime time, IOptions<WebhookDevelopmentOptions> development)
{
    public const string ChallengePrefix = "_tidings-challenge.";
    public const string ValuePrefix = "tidings-verification=";
    public const string NoDomain = "No domain with supplied ID";

    private const string Columns =
        "id, account_id AS AccountId, domain, txt_token AS TxtToken, file_name AS FileName, file_content AS FileContent, created, validated_at AS ValidatedAt, method";

    public async Task<long> CreateAsync(long accountId, string? domain, CancellationToken ct)
    {
        var name = HostNames.Normalize(domain) ?? LoopbackClaim(domain) ?? throw new RequestRejectedException($"'{domain}' is not a domain name (expected something like example.com)");
        return await storage.WriteAsync(async w =>
        {
            if (await w.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM validated_domains WHERE account_id = @accountId AND domain = @name", new { accountId, name }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"The domain '{name}' has already been added");
            }

            return await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO validated_domains (account_id, domain, txt_token, file_name, file_content, created) VALUES (@accountId, @name, @token, @fileName, @fileContent, @now) RETURNING id",
                new
                {
                    accountId, name, token = Random(16),
                    fileName = $"tidings-verification-{Random(8)}.txt", fileContent = ValuePrefix + Random(16), now = time.NowMs(),
                }, w.Transaction);
        }, ct);
    }

    /// <summary>
    /// <c>localhost</c> or a loopback address as a claim of its own (exact host), under the development setting only;
    /// null for anything else.
    /// </summary>
    private string? LoopbackClaim(string? domain)
    {
        if (LoopbackHosts.Normalize(domain) is not { } host) return null;
        if (development.Value.AllowLoopback) return host;
        throw new RequestRejectedException($"'{domain?.Trim()}' is this machine (loopback): it can be claimed only in development, with the setting {WebhookDevelopmentOptions.AllowLoopbackSetting}=true");
    }

    /// <summary>Every claim of the account, validated or not.</summary>
    public async Task<IReadOnlyList<DomainRecord>> ClaimsAsync(long accountId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<DomainRecord>($"SELECT {Columns} FROM validated_domains WHERE account_id = @accountId ORDER BY id", new { accountId })).ToList();
    }

    public async Task<(IReadOnlyList<DomainRecord> Items, long Total)> ListAsync(long accountId, long offset, long take, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<DomainRecord>($"SELECT {Columns} FROM validated_domains WHERE account_id = @accountId ORDER BY id LIMIT @take OFFSET @skip",
            new { accountId, take, skip = offset })).ToList();
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM validated_domains WHERE account_id = @accountId", new { accountId });
        return (items, total);
    }

    public async Task<DomainRecord> RequireAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var domainId)) throw new RequestRejectedException(NoDomain);
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<DomainRecord>($"SELECT {Columns} FROM validated_domains WHERE account_id = @accountId AND id = @domainId", new { accountId, domainId })
            ?? throw new RequestRejectedException(NoDomain);
    }

    public Task MarkValidatedAsync(long id, string method, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync("UPDATE validated_domains SET validated_at = @now, method = @method WHERE id = @id", new { id, method, now = time.NowMs() }, w.Transaction), ct);

    public Task DeleteAsync(long id, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync("DELETE FROM validated_domains WHERE id = @id", new { id }, w.Transaction), ct);

    /// <summary>The account's validated domains (normalised).</summary>
    public async Task<IReadOnlyList<string>> ValidatedDomainsAsync(long accountId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<string>("SELECT domain FROM validated_domains WHERE account_id = @accountId AND validated_at IS NOT NULL", new { accountId })).ToList();
    }

    /// <summary>
    /// Whether a webhook of the account may call <paramref name="handlerUrl"/>: its host equals or is a subdomain of a
    /// validated domain of the account. Nothing is sent to a handler for which this is false.
    /// </summary>
    public async Task<bool> IsHandlerAllowedAsync(long accountId, string handlerUrl, CancellationToken ct = default) =>
        HostNames.IsHandlerUnder(handlerUrl, await ValidatedDomainsAsync(accountId, ct));

    /// <summary>Synchronous form of <see cref="IsHandlerAllowedAsync"/> for callers that cannot await.</summary>
    public bool IsHandlerAllowed(long accountId, string handlerUrl) =>
        IsHandlerAllowedAsync(accountId, handlerUrl).GetAwaiter().GetResult();

    /// <summary>Why a handler is not allowed, or null when it is.</summary>
    public static string? WhyNotAllowed(string handlerUrl, IReadOnlyList<string> validatedDomains)
    {
        if (!Uri.TryCreate(handlerUrl, UriKind.Absolute, out var uri)) return "The handler is not an absolute URL";
        if (HostNames.IsHandlerUnder(handlerUrl, validatedDomains)) return null;
        return $"The handler's host '{uri.IdnHost}' is not under a validated domain of this account; nothing is sent until a domain it lies under (POST domains) is validated";
    }

    private static string Random(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
