using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Tidings.ApiDocs;

/// <summary>The answers many operations share (<c>#/components/responses</c>): Copernica's write results and its error.</summary>
internal static class SharedResponses
{
    public const string Created = "Created";
    public const string NoContent = "NoContent";
    public const string Deleted = "Deleted";
    public const string Error = "Error";

    public static Dictionary<string, IOpenApiResponse> Build(ComponentSchemas schemas) => new(StringComparer.Ordinal)
    {
        [Created] = new OpenApiResponse
        {
            Description = "Created. The body is empty: the new id is in X-Created, its URL in X-location.",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["X-Created"] = Header("The new id.", JsonSchemas.Id()),
                ["X-location"] = Header("The new entity's URL.", JsonSchemas.String()),
            },
        },
        [NoContent] = new OpenApiResponse { Description = "Done; the body is empty." },
        [Deleted] = new OpenApiResponse
        {
            Description = "Removed; the body is empty.",
            Headers = new Dictionary<string, IOpenApiHeader> { ["X-deleted"] = Header("<type> <id> of what was removed, e.g. profile 42.", JsonSchemas.String()) },
        },
        [Error] = new OpenApiResponse
        {
            Description = "Copernica's error: every refused request, a bad or missing access token and a read-only token's write included, " +
                "is HTTP 400 with {\"error\":{\"message\":\"…\"}} (Copernica's clients treat only 400 as failure). Nothing was changed.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = schemas.Ref("Error"),
                    Example = JsonNode.Parse("{\"error\":{\"message\":\"No database with supplied ID\"}}"),
                },
            },
        },
    };

    public static OpenApiHeader Header(string description, IOpenApiSchema schema) => new() { Description = description, Schema = schema };
}
