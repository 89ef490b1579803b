using System.Text.Json;
using Tidings.Rest;
using Tidings.Webhooks.Domains;

namespace Tidings.Webhooks.Configuration;

/// <summary>REST v3 (Tidings extension): the domains an account proves it owns, so its webhooks may deliver there.</summary>
internal static class DomainEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var domains = api.MapGroup("").WithTags("Webhook domains");
        domains.MapPost("/domains", async (HttpContext http, DomainService service, CopernicaTime time) =>
        {
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("domain", "validate"));
            var (id, validation) = await service.ClaimAsync(http.Caller().AccountId, body, http.RequestAborted);
            var created = RestResults.Created(http, "domain", id); // also sets the X-Created and X-location headers
            return validation is null ? created : CopernicaJson.Write(w => Write(w, validation.Domain, time, validation.Message), StatusCodes.Status201Created);
        }).WithSummary("Claim a domain (domain); GET domain/{id} then shows the TXT record or file to publish. With validate (dns, file or true) it is checked at once and kept only if validated");

        domains.MapGet("/domains", async (HttpContext http, DomainService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListAsync(http.Caller().AccountId, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, d) => Write(w, d, time));
        }).WithSummary("The account's domains and whether each is validated");

        domains.MapGet("/domain/{id}", async (HttpContext http, string id, DomainService service, CopernicaTime time) =>
        {
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => Write(w, d, time));
        }).WithSummary("A domain with what to publish: the TXT record and the verification file");

        domains.MapPost("/domain/{id}/validate", async (HttpContext http, string id, DomainService service, CopernicaTime time) =>
        {
            // The domain is looked up before the body is read, so a missing one is reported first.
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("method", "url"));
            var validation = await service.ValidateAsync(d, body, http.RequestAborted);
            return CopernicaJson.Write(w => Write(w, validation.Domain, time, validation.Message));
        }).WithSummary("Check the TXT record or verification file now (optional method dns|file, url); 400 says what was found");

        domains.MapDelete("/domain/{id}", async (HttpContext http, string id, DomainService service) =>
        {
            var deleted = await service.DeleteAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.Deleted(http, "domain", deleted);
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
