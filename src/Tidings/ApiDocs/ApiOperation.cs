using Microsoft.OpenApi;

namespace Tidings.ApiDocs;

/// <summary>
/// What the document says about one operation (a method on a path, in the document's path form, e.g.
/// <c>GET /v3/database/{id}/profiles</c>) beyond what routing knows: its operationId, body, answers and query
/// parameters. Endpoint files keep only their summary and tag.
/// </summary>
internal sealed record ApiOperation(string Method, string Path, string Id)
{
    public string Key => Method + " " + Path;

    public ApiBody? Body { get; init; }

    public IReadOnlyList<ApiReply> Replies { get; init; } = [];

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    /// <summary>
    /// Set for endpoints mapped with <c>ExcludeFromDescription</c> (the tracking links): the catalog adds the whole
    /// operation, with this summary and tag, since routing does not describe them.
    /// </summary>
    public (string Summary, string Tag)? AddedHere { get; init; }
}

/// <summary>A request body: media type → component schema name (null: raw text or bytes).</summary>
internal sealed record ApiBody(string Description, bool Required, IReadOnlyList<(string MediaType, string? Schema)> Content);

/// <summary>
/// One answer: either a shared response (<c>#/components/responses/…</c>) or its own description, content (media type →
/// component schema name, null for raw text or bytes) and headers.
/// </summary>
internal sealed record ApiReply(string Status)
{
    public string? Shared { get; init; }

    public string Description { get; init; } = "";

    public IReadOnlyList<(string MediaType, string? Schema)> Content { get; init; } = [];

    public IReadOnlyList<(string Name, string Description)> Headers { get; init; } = [];
}

/// <summary>A parameter the handler reads itself (so routing cannot describe it).</summary>
internal sealed record ApiParameter(string Name, string Description, Func<OpenApiSchema> Schema, ParameterLocation In = ParameterLocation.Query, bool Required = false);
