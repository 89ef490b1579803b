using Tidings.Rest;
using Tidings.Webhooks.Domains;

namespace Tidings.Webhooks.Configuration;

/// <summary>REST v3 (Tidings extension): the domains an account proves it owns, so its webhooks may deliver there.</summary>
internal static class DomainEndpoints
{
    private static WebhookConfigurationJsonContext Contracts => WebhookConfigurationJsonContext.Default;

    public static void Map(RouteGroupBuilder api)
    {
        var domains = api.MapGroup("").WithTags("Webhook domains");
        domains.MapPost("/domains", async (HttpContext http, DomainService service, CopernicaTime time) =>
        {
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("domain", "validate"));
            var (id, validation) = await service.ClaimAsync(http.Caller().AccountId, body, http.RequestAborted);
            var created = RestResults.Created(http, "domain", id); // also sets the X-Created and X-location headers
            return validation is null ? created : CopernicaJson.Json(DomainAnswer.From(validation.Domain, time, validation.Message), Contracts.DomainAnswer, StatusCodes.Status201Created);
        }).WithSummary("Claim a domain (domain); GET domain/{id} then shows the TXT record or file to publish. With validate (dns, file or true) it is checked at once and kept only if validated");

        domains.MapGet("/domains", async (HttpContext http, DomainService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListAsync(http.Caller().AccountId, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(d => DomainAnswer.From(d, time)).ToList(), total), Contracts.PageDomainAnswer);
        }).WithSummary("The account's domains and whether each is validated");

        domains.MapGet("/domain/{id}", async (HttpContext http, string id, DomainService service, CopernicaTime time) =>
        {
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(DomainAnswer.From(d, time), Contracts.DomainAnswer);
        }).WithSummary("A domain with what to publish: the TXT record and the verification file");

        domains.MapPost("/domain/{id}/validate", async (HttpContext http, string id, DomainService service, CopernicaTime time) =>
        {
            // The domain is looked up before the body is read, so a missing one is reported first.
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("method", "url"));
            var validation = await service.ValidateAsync(d, body, http.RequestAborted);
            return CopernicaJson.Json(DomainAnswer.From(validation.Domain, time, validation.Message), Contracts.DomainAnswer);
        }).WithSummary("Check the TXT record or verification file now (optional method dns|file, url); 400 says what was found");

        domains.MapDelete("/domain/{id}", async (HttpContext http, string id, DomainService service) =>
        {
            var deleted = await service.DeleteAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.Deleted(http, "domain", deleted);
        }).WithSummary("Forget a domain; webhooks under it stop delivering");
    }
}
