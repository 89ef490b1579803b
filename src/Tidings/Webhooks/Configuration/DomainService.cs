using System.Globalization;
using System.Text.Json.Nodes;
using Tidings.Audit;
using Tidings.Rejections;
using Tidings.Webhooks.Domains;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Configuration;

/// <summary>A domain as it stands after a check, with what the check found.</summary>
internal sealed record DomainValidation(DomainRecord Domain, string Message);

/// <summary>
/// The domains an account proves it owns, for every front end: claims (checked at once on request, and then kept
/// only if validated), the DNS and file checks, and their removal. Webhooks deliver only under validated domains.
/// </summary>
internal sealed class DomainService(DomainStore store, DomainVerifier verifier, WebhookStore webhooks, AuditTrail audit)
{
    /// <summary>
    /// Claims the body's <c>domain</c>; with <c>validate</c> (<c>dns</c>, <c>file</c> or a true value) it is checked in
    /// the same call and kept only if validated. The new id, and the check's outcome when one was asked for.
    /// </summary>
    public async Task<(long Id, DomainValidation? Validation)> ClaimAsync(long accountId, JsonObject body, CancellationToken ct)
    {
        var validate = ValidateOnClaim(WebhookInput.Text(body, "validate"));
        var id = await store.CreateAsync(accountId, WebhookInput.Text(body, "domain"), ct);
        if (validate is null)
        {
            await audit.RecordAsync(accountId, AuditActions.Created, AuditTargets.Domain, id, WebhookInput.Text(body, "domain") ?? "", ct);
            return (id, null);
        }

        // Claimed and checked in one call, all or nothing: a claim that fails its check is not kept.
        var claim = await store.RequireAsync(accountId, Id(id), ct);
        VerificationResult success;
        try
        {
            success = await CheckAsync(claim, validate, null, ct);
        }
        catch
        {
            await store.DeleteAsync(id, CancellationToken.None);
            throw;
        }

        await store.MarkValidatedAsync(id, success.Method, ct);
        await audit.RecordAsync(accountId, AuditActions.Created, AuditTargets.Domain, id, $"{claim.Domain}, validated by {success.Method}", ct);
        return (id, new DomainValidation(await store.RequireAsync(accountId, Id(id), ct), success.Message));
    }

    public Task<(IReadOnlyList<DomainRecord> Items, long Total)> ListAsync(long accountId, long offset, long take, CancellationToken ct) =>
        store.ListAsync(accountId, offset, take, ct);

    /// <summary>The account's domain with this id, or a rejection saying there is none.</summary>
    public Task<DomainRecord> RequireAsync(long accountId, string id, CancellationToken ct) => store.RequireAsync(accountId, id, ct);

    /// <summary>Checks a claim now (body: optional <c>method</c> dns|file, optional <c>url</c>); a rejection says what was found.</summary>
    public async Task<DomainValidation> ValidateAsync(DomainRecord domain, JsonObject body, CancellationToken ct)
    {
        var method = WebhookInput.Text(body, "method")?.Trim().ToLowerInvariant();
        if (method is not (null or "" or "dns" or "file")) throw new RequestRejectedException($"Unknown validation method '{method}' (expected dns or file)");
        var success = await CheckAsync(domain, method, WebhookInput.Text(body, "url"), ct);
        await store.MarkValidatedAsync(domain.Id, success.Method, ct);
        await audit.RecordAsync(domain.AccountId, AuditActions.Validated, AuditTargets.Domain, domain.Id, $"{domain.Domain}, by {success.Method}", ct);
        return new DomainValidation(await store.RequireAsync(domain.AccountId, Id(domain.Id), ct), success.Message);
    }

    /// <summary>Forgets the domain (its webhooks stop delivering); the id it had.</summary>
    public async Task<long> DeleteAsync(long accountId, string id, CancellationToken ct)
    {
        var domain = await store.RequireAsync(accountId, id, ct);
        await store.DeleteAsync(domain.Id, ct);
        await audit.RecordAsync(accountId, AuditActions.Deleted, AuditTargets.Domain, domain.Id, domain.Domain, ct);
        return domain.Id;
    }

    /// <summary>
    /// Checks the TXT record and/or the verification file (<paramref name="method"/> <c>dns</c>, <c>file</c>, or empty
    /// for DNS first and then the file); the successful result, or a <see cref="RequestRejectedException"/> saying what was found.
    /// A loopback host has no DNS of its own: only its file counts.
    /// </summary>
    private async Task<VerificationResult> CheckAsync(DomainRecord d, string? method, string? url, CancellationToken ct)
    {
        var loopback = LoopbackHosts.Normalize(d.Domain) is not null;
        if (loopback && method == "dns") throw new RequestRejectedException($"{d.Domain} is this machine: it is validated by its verification file only (method file)");
        if (loopback) method = "file";

        var results = new List<VerificationResult>();
        if (method is null or "" or "dns") results.Add(await verifier.VerifyDnsAsync(d, ct));
        if (results.All(r => !r.Validated) && method is null or "" or "file")
        {
            var urls = !string.IsNullOrWhiteSpace(url)
                ? [url]
                : (await webhooks.HandlersAsync(d.AccountId, ct)).Where(h => Uri.TryCreate(h, UriKind.Absolute, out var u) && HostNames.IsUnder(u.IdnHost, d.Domain)).ToList();
            if (!string.IsNullOrWhiteSpace(url) && (!Uri.TryCreate(url, UriKind.Absolute, out var given) || !HostNames.IsUnder(given.IdnHost, d.Domain)))
            {
                throw new RequestRejectedException($"The url '{url}' is not an http(s) URL under {d.Domain}");
            }

            results.Add(await verifier.VerifyFileAsync(d, urls, ct));
        }

        return results.FirstOrDefault(r => r.Validated)
            ?? throw new RequestRejectedException($"Domain {d.Domain} is not validated. " + string.Join(" ", results.Select(r => r.Message)));
    }

    /// <summary>The <c>validate</c> key of a claim: a method (<c>dns</c>, <c>file</c>), a true value (either), or absent/false (none).</summary>
    private static string? ValidateOnClaim(string? text)
    {
        var value = text?.Trim().ToLowerInvariant();
        return value switch
        {
            null or "" or "0" or "false" or "no" => null,
            "dns" or "file" => value,
            "1" or "true" or "yes" => "",
            _ => throw new RequestRejectedException($"Unknown validate value '{text}' (expected dns, file or true)"),
        };
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
