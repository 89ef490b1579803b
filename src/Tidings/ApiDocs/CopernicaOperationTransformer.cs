using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tidings.ApiDocs;

/// <summary>
/// Adds what every Copernica call shares to the OpenAPI document: the <c>access_token</c> query parameter, the paging
/// and filter parameters of list calls, and the 400 error body.
/// </summary>
internal sealed class CopernicaOperationTransformer : IOpenApiOperationTransformer
{
    private static readonly string[] PagedLists =
        ["/databases", "/fields", "/database/{id}/interests", "/collections", "/profiles", "/subprofiles", "/subprofiles/{collection}"];

    private static readonly string[] FilteredLists = ["/profiles", "/subprofiles", "/subprofiles/{collection}"];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = "/" + (context.Description.RelativePath ?? "");
        if (!path.StartsWith("/v3/", StringComparison.Ordinal)) return Task.CompletedTask;
        operation.Parameters ??= [];
        operation.Parameters.Add(Query("access_token", "The account's access token (read-write for POST, PUT and DELETE).", required: true));

        var method = context.Description.HttpMethod ?? "GET";
        if (method == "GET" && PagedLists.Any(p => path.EndsWith(p, StringComparison.Ordinal)))
        {
            operation.Parameters.Add(Query("start", "Offset of the first item (default 0)."));
            operation.Parameters.Add(Query("limit", "Items per page (default 100, at most 1000)."));
            operation.Parameters.Add(Query("total", "false omits the total (saves a count)."));
        }

        if (FilteredLists.Any(p => path.EndsWith(p, StringComparison.Ordinal)) && method is "GET" or "PUT")
        {
            operation.Parameters.Add(Query("fields[]", "Repeatable condition <field><op><value>, ops == != <> < > <= >= =~ !~; special fields id, code, modified. Also sent as fields[0]= or fields%5B0%5D=.", required: method == "PUT"));
            if (method == "GET")
            {
                operation.Parameters.Add(Query("orderby", "Field name or id, or id (default), modified, random."));
                operation.Parameters.Add(Query("order", "asc (default) or desc."));
                operation.Parameters.Add(Query("dataonly", "true returns only ID, fields, interests and modified."));
            }
            else
            {
                operation.Parameters.Add(Query("create", "true creates an entity when nothing matches (201 + X-Created)."));
            }
        }

        if (method is "POST" or "PUT")
        {
            operation.RequestBody ??= new OpenApiRequestBody
            {
                Description = "JSON (a top-level [] counts as empty) or application/x-www-form-urlencoded with PHP-style brackets (fields[email]=…).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
                    ["application/x-www-form-urlencoded"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
                },
            };
        }

        operation.Responses ??= [];
        operation.Responses["400"] = new OpenApiResponse
        {
            Description = "Copernica error: {\"error\":{\"message\":\"…\"}}. Nothing was changed.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Example = JsonNode.Parse("{\"error\":{\"message\":\"No database with supplied ID\"}}"),
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["error"] = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["message"] = new OpenApiSchema { Type = JsonSchemaType.String } } },
                        },
                    },
                },
            },
        };
        if (method == "POST" && !operation.Responses.ContainsKey("201")) operation.Responses["201"] = new OpenApiResponse { Description = "Created: the new id is in the X-Created header (URL in X-location); empty body." };
        if (method is "PUT" or "DELETE") operation.Responses["204"] = new OpenApiResponse { Description = "Done; DELETE also sends X-deleted: <type> <id>." };
        return Task.CompletedTask;
    }

    private static OpenApiParameter Query(string name, string description, bool required = false) => new()
    {
        Name = name, In = ParameterLocation.Query, Description = description, Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
