using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tidings.Rest;

namespace Tidings.ApiDocs;

/// <summary>
/// Completes the document routing describes with what only the code knows, from one place instead of every endpoint
/// file: the <see cref="OperationCatalog"/> rows (operationIds, bodies, answers, query parameters), the
/// <see cref="ComponentSchemas"/>, Copernica's error on every API call, the two ways to send the access token, and the
/// tracking links. An operation without a row is left as routing described it; <c>ApiDocsTests</c> fails on it.
/// </summary>
internal sealed class CatalogDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string QueryToken = "access_token";
    public const string BearerToken = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = new ComponentSchemas(document);
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var (name, schema) in schemas.All()) document.Components.Schemas[name] = schema;
        document.Components.Responses = SharedResponses.Build(schemas);
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [QueryToken] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Query, Name = "access_token",
                Description = "The account's access token as Copernica takes it: ?access_token=…. A read-only token may only GET.",
            },
            [BearerToken] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "The same token in an Authorization: Bearer … header; used when there is no access_token parameter.",
            },
        };

        document.Paths ??= [];
        foreach (var row in OperationCatalog.ByKey.Values.Where(r => r.AddedHere is not null)) AddOperation(document, row);

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var authenticated = path.StartsWith(RestApi.Prefix + "/", StringComparison.Ordinal);
                operation.Security = authenticated
                    ? [Requirement(document, QueryToken), Requirement(document, BearerToken)]
                    : [];
                if (OperationCatalog.ByKey.TryGetValue(method.Method + " " + path, out var row)) Apply(document, schemas, row, operation, authenticated);
                DescribePathParameters(path, operation);
            }
        }

        document.Tags = ApiTags.For(document);
        return Task.CompletedTask;
    }

    private static void AddOperation(OpenApiDocument document, ApiOperation row)
    {
        if (!document.Paths.TryGetValue(row.Path, out var item))
        {
            item = new OpenApiPathItem();
            document.Paths.Add(row.Path, item);
        }

        var (summary, tag) = row.AddedHere!.Value;
        ((OpenApiPathItem)item).AddOperation(new HttpMethod(row.Method), new OpenApiOperation
        {
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
        });
    }

    private static void Apply(OpenApiDocument document, ComponentSchemas schemas, ApiOperation row, OpenApiOperation operation, bool authenticated)
    {
        operation.OperationId = row.Id;
        operation.RequestBody = row.Body is { } body ? RequestBody(schemas, body) : null;

        operation.Parameters ??= [];
        foreach (var parameter in row.Parameters)
        {
            var existing = operation.Parameters.FirstOrDefault(p => p.Name == parameter.Name && p.In == parameter.In);
            if (existing is not null) operation.Parameters.Remove(existing);
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name, In = parameter.In, Description = parameter.Description, Required = parameter.Required || parameter.In == ParameterLocation.Path,
                Schema = parameter.Schema(),
                // Query parameters are form style, exploded: a repeated one is sent as fields[]=a&fields[]=b.
                Style = parameter.In == ParameterLocation.Query ? ParameterStyle.Form : ParameterStyle.Simple,
                Explode = parameter.In == ParameterLocation.Query,
            });
        }

        operation.Responses = [];
        foreach (var reply in row.Replies) operation.Responses[reply.Status] = Response(document, schemas, reply);
        if (authenticated && !operation.Responses.ContainsKey("400"))
        {
            operation.Responses["400"] = new OpenApiResponseReference(SharedResponses.Error, document);
        }
    }

    private static OpenApiRequestBody RequestBody(ComponentSchemas schemas, ApiBody body) => new()
    {
        Description = body.Description,
        Required = body.Required,
        Content = body.Content.ToDictionary(c => c.MediaType, c => new OpenApiMediaType { Schema = Schema(schemas, c.Schema) }),
    };

    private static IOpenApiResponse Response(OpenApiDocument document, ComponentSchemas schemas, ApiReply reply)
    {
        if (reply.Shared is { } shared) return new OpenApiResponseReference(shared, document);
        return new OpenApiResponse
        {
            Description = reply.Description,
            Content = reply.Content.Count == 0 ? null : reply.Content.ToDictionary(c => c.MediaType, c => new OpenApiMediaType { Schema = Schema(schemas, c.Schema) }),
            Headers = reply.Headers.Count == 0 ? null : reply.Headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)SharedResponses.Header(h.Description, JsonSchemas.String())),
        };
    }

    /// <summary>A named component, or raw text or bytes.</summary>
    private static IOpenApiSchema Schema(ComponentSchemas schemas, string? name) =>
        name is null ? new OpenApiSchema { Type = JsonSchemaType.String } : schemas.Ref(name);

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>What an id in the path names, by the path element before it.</summary>
    private static readonly Dictionary<string, string> PathIds = new(StringComparer.Ordinal)
    {
        ["database"] = "A database id, or its name (case-insensitive).",
        ["collection"] = "A collection id, or its name (case-insensitive).",
        ["subprofiles"] = "A collection of the profile's database: its id or name.",
        ["field"] = "A field id, or its name.",
        ["interest"] = "An interest id.",
        ["profile"] = "A profile id.",
        ["subprofile"] = "A subprofile id.",
        ["emailing"] = "A mailing id.",
        ["destination"] = "A message: its numeric id or its message id.",
        ["webhook"] = "A webhook id.",
        ["domain"] = "A domain id.",
        ["delivery"] = "A delivery id (see the webhook's deliveries).",
        ["replay"] = "A replay id.",
    };

    private static void DescribePathParameters(string path, OpenApiOperation operation)
    {
        var segments = path.Split('/');
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path && p.Description is null))
        {
            var index = Array.IndexOf(segments, "{" + parameter.Name + "}");
            if (index > 0 && PathIds.TryGetValue(segments[index - 1], out var description)) parameter.Description = description;
        }
    }
}
