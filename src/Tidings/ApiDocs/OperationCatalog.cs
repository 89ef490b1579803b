using Microsoft.OpenApi;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>
/// The table of every operation in the document, keyed by method and path (<see cref="ApiOperation.Key"/>), split by
/// feature over partial files. A new endpoint needs a row here: <c>ApiDocsTests</c> fails for any route without one,
/// and for any row without a route.
/// </summary>
internal static partial class OperationCatalog
{
    /// <summary>Built on first use: the rows use static fields of every partial file, whose initialisation order is not defined.</summary>
    private static readonly Lazy<Dictionary<string, ApiOperation>> Rows = new(Build);

    public static IReadOnlyDictionary<string, ApiOperation> ByKey => Rows.Value;

    /// <summary>
    /// Routes that are deliberately not in the document, by route pattern (<c>/*</c> at the end: every route under it),
    /// with why: the missing-id answers (they only say "element 1 is missing"; those of database, collection, profile
    /// and subprofile paths are no routes but come from Rest.EntityPaths), the documentation itself, and a
    /// benchmarking pixel that is off by default.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Undocumented { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/v3/interest"] = "error answer for a path without its id",
        ["/v3/webhook"] = "error answer for a path without its id",
        ["/"] = "redirect to /docs (a browser: to /dashboard)",
        ["/dashboard"] = "the dashboard's home page (docs/dashboard.md)",
        ["/dashboard/*"] = "the dashboard's pages and assets",
        ["/docs"] = "the browsable reference",
        ["/docs/*"] = "the browsable reference's page and scripts",
        ["/openapi/{documentName}.json"] = "this document",
        ["/healthz"] = "liveness probe, not part of the API (docs/operations.md, Health)",
        ["/metrics"] = "Prometheus scraping endpoint, not part of the API (docs/operations.md, Monitor)",
        ["/readyz"] = "readiness probe, not part of the API (docs/operations.md, Health)",
        ["/t/null.gif"] = "benchmarking pixel (Tracking:EnableNullPixel), off by default",
    };

    /// <summary>Whether a route pattern is one of <see cref="Undocumented"/>.</summary>
    public static bool IsUndocumented(string route) =>
        Undocumented.ContainsKey(route) || Undocumented.Keys.Any(k => k.EndsWith("/*", StringComparison.Ordinal) && route.StartsWith(k[..^1], StringComparison.Ordinal));

    /// <summary>A route pattern in the document's form: <c>{link:int}</c> becomes <c>{link}</c>, a trailing slash goes.</summary>
    public static string PathOf(string routePattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(routePattern, @"\{([A-Za-z0-9_]+)[:=?][^}]*\}", "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static Dictionary<string, ApiOperation> Build()
    {
        var all = new Dictionary<string, ApiOperation>(StringComparer.Ordinal);
        foreach (var operation in Account().Concat(MarketingData()).Concat(Mailings()).Concat(Statistics()).Concat(Webhooks())
                     .Concat(WebhookDelivery()).Concat(MailTransferAgent()).Concat(LogFiles()).Concat(Tracking()))
        {
            all.Add(operation.Key, operation);
        }

        return all;
    }

    // ---- Building blocks of the rows ------------------------------------------------------------------------------

    private const string CopernicaBodyNote =
        "JSON, or application/x-www-form-urlencoded with PHP-style brackets (fields[email]=…, interests[]=…); a JSON [] counts as empty.";

    /// <summary>A Copernica-style body: JSON or a form, both read into the same shape.</summary>
    private static ApiBody Input(string schema, bool required = false) =>
        new(CopernicaBodyNote, required, [("application/json", schema), ("application/x-www-form-urlencoded", schema)]);

    private static ApiReply Json(string schema, string description = "OK", string status = "200") =>
        new(status) { Description = description, Content = [("application/json", schema)] };

    private static readonly ApiReply Created = new("201") { Shared = SharedResponses.Created };
    private static readonly ApiReply NoContent = new("204") { Shared = SharedResponses.NoContent };
    private static readonly ApiReply Deleted = new("204") { Shared = SharedResponses.Deleted };

    private static ApiOperation Get(string path, string id, string schema, params ApiParameter[] query) =>
        new("GET", path, id) { Replies = [Json(schema)], Parameters = query };

    private static ApiOperation Create(string path, string id, string body, bool required = false) =>
        new("POST", path, id) { Body = Input(body, required), Replies = [Created] };

    /// <summary>Copernica takes PUT and POST alike for changes: two operations, the POST one with a <c>WithPost</c> id.</summary>
    private static IEnumerable<ApiOperation> Change(string path, string id, string body, bool required = false, params ApiReply[] replies)
    {
        ApiReply[] answers = replies.Length > 0 ? replies : [NoContent];
        yield return new ApiOperation("PUT", path, id) { Body = Input(body, required), Replies = answers };
        yield return new ApiOperation("POST", path, id + "WithPost") { Body = Input(body, required), Replies = answers };
    }

    private static ApiOperation Delete(string path, string id) => new("DELETE", path, id) { Replies = [Deleted] };

    // ---- Query parameters --------------------------------------------------------------------------------------

    private static readonly ApiParameter[] Paging =
    [
        new("start", "Offset of the first item (default 0).", () => Integer()),
        new("limit", "Items per page (default Rest:DefaultLimit, 100; at most Rest:MaxLimit, 1000).", () => Integer()),
        new("total", "false leaves out total (saves a count).", () => Flag()),
    ];

    private static readonly ApiParameter FieldsFilter = new("fields[]",
        "Condition <field><operator><value>, repeatable (all must hold). Operators == != <> < > <= >= =~ (like, % and _) !~; " +
        "special fields id, code (the secret) and modified. Also sent as fields[0]=… or fields%5B0%5D=….",
        () => ArrayOf(String()));

    private static ApiParameter RequiredFieldsFilter => FieldsFilter with { Required = true, Description = "Required: which entities to change. " + FieldsFilter.Description };

    private static readonly ApiParameter[] Ordering =
    [
        new("orderby", "A field name or id, or id (default), modified or random.", () => String()),
        new("order", "asc (default) or desc.", () => String()),
        new("dataonly", "true sends only ID, fields, interests and modified.", () => Flag()),
    ];

    private static readonly ApiParameter CreateWhenNoMatch = new("create", "true creates an entity when nothing matches (201 with X-Created).", () => Flag());

    private static readonly ApiParameter[] Window =
    [
        new("begintime", "Only events at or after this local time, YYYY-MM-DD HH:MM:SS.", () => String()),
        new("endtime", "Only events at or before this local time (to the end of its second), YYYY-MM-DD HH:MM:SS.", () => String()),
    ];

    private static ApiParameter[] Query(params IEnumerable<ApiParameter>[] groups) => groups.SelectMany(g => g).ToArray();
}
