using System.Text.Json;
using Tidings.Rest;
using Tidings.Webhooks.Domains;
using Tidings.Webhooks.Outbound;
using Tidings.Rejections;

namespace Tidings.Webhooks.Configuration;

/// <summary>REST v3 (Tidings extension): the domains an account proves it owns, so its webhooks may deliver there.</summary>
public static class DomainEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var domains = api.MapGroup("").WithTags("Webhook domains");
        domains.MapPost("/domains", async (HttpContext http, DomainStore store, DomainVerifier verifier, WebhookStore webhooks, CopernicaTime time) =>
        {
            var accountId = http.Caller().AccountId;
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("domain", "validate"));
            var validate = ValidateOnClaim(WebhookInput.Text(body, "validate"));
            var id = await store.CreateAsync(accountId, WebhookInput.Text(body, "domain"), http.RequestAborted);
            if (validate is null) return RestResults.Created(http, "domain", id);

            // Claimed and checked in one call, all or nothing: a claim that fails its check is not kept.
            var claim = await store.RequireAsync(accountId, Id(id), http.RequestAborted);
            VerificationResult success;
            try
            {
                success = await ValidateAsync(claim, validate, null, verifier, webhooks, http.RequestAborted);
            }
            catch
            {
                await store.DeleteAsync(id, CancellationToken.None);
                throw;
            }

            await store.MarkValidatedAsync(id, success.Method, http.RequestAborted);
            var validated = await store.RequireAsync(accountId, Id(id), http.RequestAborted);
            RestResults.Created(http, "domain", id); // the X-Created and X-location headers
            return CopernicaJson.Write(w => Write(w, validated, time, success.Message), StatusCodes.Status201Created);
        }).WithSummary("Claim a domain (domain); GET domain/{id} then shows the TXT record or file to publish. With validate (dns, file or true) it is checked at once and kept only if validated");

        domains.MapGet("/domains", async (HttpContext http, DomainStore store, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await store.ListAsync(http.Caller().AccountId, paging, http.RequestAborted);
            return paging.Result(items, total, (w, d) => Write(w, d, time));
        }).WithSummary("The account's domains and whether each is validated");

        domains.MapGet("/domain/{id}", async (HttpContext http, string id, DomainStore store, CopernicaTime time) =>
        {
            var d = await store.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => Write(w, d, time));
        }).WithSummary("A domain with what to publish: the TXT record and the verification file");

        domains.MapPost("/domain/{id}/validate", async (HttpContext http, string id, DomainStore store, DomainVerifier verifier, WebhookStore webhooks, CopernicaTime time) =>
        {
            var accountId = http.Caller().AccountId;
            var d = await store.RequireAsync(accountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("method", "url"));
            var method = WebhookInput.Text(body, "method")?.Trim().ToLowerInvariant();
            if (method is not (null or "" or "dns" or "file")) throw new RequestRejectedException($"Unknown validation method '{method}' (expected dns or file)");
            var success = await ValidateAsync(d, method, WebhookInput.Text(body, "url"), verifier, webhooks, http.RequestAborted);
            await store.MarkValidatedAsync(d.Id, success.Method, http.RequestAborted);
            var updated = await store.RequireAsync(accountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => Write(w, updated, time, success.Message));
        }).WithSummary("Check the TXT record or verification file now (optional method dns|file, url); 400 says what was found");

        domains.MapDelete("/domain/{id}", async (HttpContext http, string id, DomainStore store) =>
        {
            var d = await store.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await store.DeleteAsync(d.Id, http.RequestAborted);
            return RestResults.Deleted(http, "domain", d.Id);
        }).WithSummary("Forget a domain; webhooks under it stop delivering");
    }

    /// <summary>
    /// Checks the TXT record and/or the verification file (<paramref name="method"/> <c>dns</c>, <c>file</c>, or empty
    /// for DNS first and then the file); the successful result, or a <see cref="RequestRejectedException"/> saying what was found.
    /// A loopback host has no DNS of its own: only its file counts.
    /// </summary>
    private static async Task<VerificationResult> ValidateAsync(DomainRecord d, string? method, string? url, DomainVerifier verifier, WebhookStore webhooks, CancellationToken ct)
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

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter w, DomainRecord d, CopernicaTime time, string? message = null)
    {
        w.WriteStartObject();
        w.WriteString("ID", d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("domain", d.Domain);
        w.WriteBoolean("validated", d.ValidatedAt is not null);
        if (d.ValidatedAt is { } at) w.WriteString("validated_at", time.FormatMs(at)); else w.WriteNull("validated_at");
        if (d.Method is { } m) w.WriteString("method", m); else w.WriteNull("method");
        w.WriteStartObject("dns");
        w.WriteString("type", "TXT");
        w.WriteString("name", d.TxtName);
        w.WriteString("value", d.TxtValue);
        w.WriteEndObject();
        w.WriteStartObject("file");
        w.WriteString("name", d.FileName);
        w.WriteString("content", d.FileContent);
        w.WriteString("where", $"https://{d.Domain}/{d.FileName}, or the folder of a webhook handler under {d.Domain}");
        w.WriteEndObject();
        w.WriteString("created", time.FormatMs(d.Created));
        if (message is not null) w.WriteString("message", message);
        w.WriteEndObject();
    }
}
