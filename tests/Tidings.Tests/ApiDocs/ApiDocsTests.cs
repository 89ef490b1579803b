using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tidings.ApiDocs;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.ApiDocs;

/// <summary>
/// The OpenAPI document is complete: every route the server maps is in it (or deliberately left out), each with an
/// operationId, its body, its answers with their schemas, Copernica's error and the access token's two schemes.
/// A new endpoint without a row in <see cref="OperationCatalog"/> fails here.
/// </summary>
public sealed class ApiDocsTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "head", "patch", "options"];

    /// <summary>POST calls that take no body.</summary>
    private static readonly HashSet<string> WithoutBody = ["retryWebhookDelivery", "checkWebhooks"];

    private async Task<JsonObject> DocumentAsync() =>
        JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in Methods
        where path.Value![method] is JsonObject
        select (path.Key, method, path.Value![method]!.AsObject());

    [Fact]
    public async Task Every_mapped_route_is_in_the_document_and_every_catalog_row_names_a_mapped_route()
    {
        var document = await DocumentAsync();
        var inDocument = Operations(document).Select(o => o.Method.ToUpperInvariant() + " " + o.Path).ToHashSet(StringComparer.Ordinal);
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (OperationCatalog.IsUndocumented(route)) continue;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"])
            {
                var key = method + " " + OperationCatalog.PathOf(route);
                mapped.Add(key);
                if (!inDocument.Contains(key)) missing.Add(key);
            }
        }

        missing.ShouldBeEmpty("Mapped but not in the OpenAPI document: add a row to OperationCatalog (or, for a route that must stay out, to OperationCatalog.Undocumented)");
        OperationCatalog.ByKey.Keys.Where(k => !mapped.Contains(k)).ShouldBeEmpty("Rows of OperationCatalog without a mapped route");
        mapped.Count.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task Every_operation_has_a_unique_id_its_body_answers_with_schemas_and_the_right_security()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations(document))
        {
            var name = method.ToUpperInvariant() + " " + path;
            var id = operation["operationId"]?.GetValue<string>();
            if (id is null) problems.Add(name + ": no operationId (no row in OperationCatalog)");
            else if (!ids.Add(id)) problems.Add(name + ": operationId " + id + " is used twice");

            if (method is "post" or "put" && operation["requestBody"] is null && !WithoutBody.Contains(id ?? "")) problems.Add(name + ": no request body");
            if (operation["requestBody"]?["content"] is JsonObject bodies && bodies.Any(b => b.Value!["schema"] is null)) problems.Add(name + ": a request body without a schema");

            var responses = operation["responses"]!.AsObject();
            if (!responses.Any(r => r.Key[0] is '2' or '3')) problems.Add(name + ": no success answer");
            foreach (var (status, response) in responses)
            {
                if (response!["content"] is JsonObject content && content.Any(c => c.Value!["schema"] is null)) problems.Add($"{name}: answer {status} without a schema");
                if (response["content"]?["application/json"]?["schema"] is { } schema && schema["$ref"] is null) problems.Add($"{name}: answer {status} is not a named schema");
            }

            var schemes = (operation["security"] as JsonArray ?? []).SelectMany(r => r!.AsObject().Select(s => s.Key)).Order().ToList();
            if (path.StartsWith("/v3/", StringComparison.Ordinal))
            {
                if (!schemes.SequenceEqual(["access_token", "bearer"])) problems.Add(name + ": security is not access_token or bearer");
                if (responses["400"]?["$ref"]?.GetValue<string>() is not ("#/components/responses/Error") && id != "reportMtaResults") problems.Add(name + ": no Copernica error answer");
            }
            else if (operation["security"] is not JsonArray { Count: 0 })
            {
                problems.Add(name + ": a public operation must say security: []");
            }
        }

        problems.ShouldBeEmpty();
        ids.ShouldContain("listProfiles");
        ids.ShouldContain("trackOpen");
    }

    [Fact]
    public async Task Every_reference_in_the_document_resolves()
    {
        var document = await DocumentAsync();
        var schemas = new DocumentSchemas(document);
        var references = new List<string>();
        Collect(document, references);
        references.Count.ShouldBeGreaterThan(100);
        foreach (var reference in references.Distinct()) Should.NotThrow(() => schemas.Resolve(reference), reference);

        static void Collect(JsonNode? node, List<string> into)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "$ref") into.Add(value!.GetValue<string>()); else Collect(value, into);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a) Collect(item, into);
                    break;
            }
        }
    }

    [Fact]
    public async Task Document_names_both_token_schemes_and_documents_paging_filters_and_the_tracking_links()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        schemes["access_token"]!["type"]!.GetValue<string>().ShouldBe("apiKey");
        schemes["access_token"]!["in"]!.GetValue<string>().ShouldBe("query");
        schemes["access_token"]!["name"]!.GetValue<string>().ShouldBe("access_token");
        schemes["bearer"]!["type"]!.GetValue<string>().ShouldBe("http");
        schemes["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");

        var list = document["paths"]!["/v3/database/{id}/profiles"]!["get"]!;
        var names = list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        names.ShouldBe(["id", "start", "limit", "total", "fields[]", "orderby", "order", "dataonly"], ignoreOrder: true);
        list["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/ProfileList");

        var paths = document["paths"]!.AsObject();
        paths["/t/o/{token}"]!["get"]!["responses"]!["200"]!["content"]!.AsObject().ContainsKey("image/gif").ShouldBeTrue();
        paths["/t/c/{token}/{link}"]!["get"]!["responses"]!["302"]!["headers"]!.AsObject().ContainsKey("Location").ShouldBeTrue();
        paths["/t/u/{token}"]!["post"]!["operationId"]!.GetValue<string>().ShouldBe("unsubscribe");
        document["servers"]!.AsArray().ShouldAllBe(s => !s!["url"]!.GetValue<string>().EndsWith('/'));
    }

    [Fact]
    public async Task Api_reference_page_is_served()
    {
        var client = app.CreateClient();
        var html = await client.GetStringAsync("/docs/", TestContext.Current.CancellationToken);
        html.ShouldContain("<html", Case.Insensitive);
        html.ShouldContain("openapi", Case.Insensitive);
    }
}
