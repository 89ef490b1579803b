using System.Text.Json;
using Tidings.Rest;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Domains;

/// <summary>REST v3 (Tidings extension): the domains an account proves it owns, so its webhooks may deliver there.</summary>
public static class DomainEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var domains = api.MapGroup("").WithTags("Webhook domains");
        domains.MapPost("/domains", async (HttpContext http, DomainStore store) =>
        {
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("domain"));
            var id = await store.CreateAsync(http.Caller().AccountId, WebhookInput.Text(body, "domain"), http.RequestAborted);
            return RestResults.Created(http, "domain", id);
        }).WithSummary("Claim a domain (domain); GET domain/{id} then shows the TXT record or file to publish");

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
            var url = WebhookInput.Text(body, "url");
            if (method is not (null or "" or "dns" or "file")) throw new RestException($"Unknown validation method '{method}' (expected dns or file)");

            var results = new List<VerificationResult>();
            if (method is null or "" or "dns") results.Add(await verifier.VerifyDnsAsync(d, http.RequestAborted));
            if (results.All(r => !r.Validated) && method is null or "" or "file")
            {
                var urls = !string.IsNullOrWhiteSpace(url)
                    ? [url]
                    : (await webhooks.HandlersAsync(accountId, http.RequestAborted)).Where(h => Uri.TryCreate(h, UriKind.Absolute, out var u) && HostNames.IsUnder(u.IdnHost, d.Domain)).ToList();
                if (!string.IsNullOrWhiteSpace(url) && (!Uri.TryCreate(url, UriKind.Absolute, out var given) || !HostNames.IsUnder(given.IdnHost, d.Domain)))
                {
                    throw new RestException($"The url '{url}' is not an http(s) URL under {d.Domain}");
                }

                results.Add(await verifier.VerifyFileAsync(d, urls, http.RequestAborted));
            }

            var success = results.FirstOrDefault(r => r.Validated);
            if (success is null) throw new RestException($"Domain {d.Domain} is not validated. " + string.Join(" ", results.Select(r => r.Message)));
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
