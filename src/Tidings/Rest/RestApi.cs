using Microsoft.Extensions.Options;
using Tidings.Accounts;

namespace Tidings.Rest;

/// <summary>
/// The conventions every Copernica-compatible endpoint shares: the <c>/v3</c> route group with token authentication,
/// the <c>/v1</c>, <c>/v2</c> and unversioned aliases, and Copernica's error format for everything that goes wrong.
/// </summary>
public static partial class RestApi
{
    public const string Prefix = "/v3";

    /// <summary>First path segments of Copernica API paths; an unversioned path starting with one is an API call.</summary>
    private static readonly HashSet<string> ApiRoots = new(StringComparer.Ordinal)
    {
        "identity", "consumption", "databases", "database", "collection", "interest", "profile", "profiles", "subprofile",
        "ms", "publisher", "logfiles", "logfile", "webhooks", "webhook", "domains", "domain", "emailings", "token", "mta",
    };

    public static WebApplicationBuilder AddRest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RestOptions>().BindConfiguration(RestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CopernicaTime>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = null);
        return builder;
    }

    /// <summary>Rewrites aliases to <c>/v3</c> and turns failures on API paths into Copernica errors.</summary>
    public static WebApplication UseRest(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var rewritten = Rewrite(path);
            if (rewritten is null)
            {
                await next();
                return;
            }

            context.Request.Path = rewritten;
            try
            {
                await next();
                if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
                {
                    await CopernicaJson.WriteErrorAsync(context, CopernicaErrors.InvalidMethod);
                }
            }
            catch (RestException ex) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await CopernicaJson.WriteErrorAsync(context, ex.Message);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await CopernicaJson.WriteErrorAsync(context, ex.Message);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                app.Logger.LogError(ex, "Unhandled error on {Method} {Path}", context.Request.Method, path);
                context.Response.Clear();
                await CopernicaJson.WriteErrorAsync(context, "Internal server error", StatusCodes.Status500InternalServerError);
            }
        });
        app.UseRouting();
        return app;
    }

    /// <summary>The authenticated <c>/v3</c> route group a feature maps its Copernica endpoints on.</summary>
    public static RouteGroupBuilder MapCopernicaGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).AddEndpointFilter(Authenticate);

    /// <summary>The caller resolved from the request's token.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new RestException(CopernicaErrors.InvalidAccessToken);

    internal static string? Rewrite(string path)
    {
        if (path.Length > 1 && path.EndsWith('/')) path = path.TrimEnd('/');
        if (path.StartsWith("/v3/", StringComparison.Ordinal) || path == "/v3") return DropExtraAfterList(path);
        if (path.StartsWith("/v1/", StringComparison.Ordinal) || path.StartsWith("/v2/", StringComparison.Ordinal)) return DropExtraAfterList(Prefix + path[3..]);
        var firstEnd = path.IndexOf('/', 1);
        var first = firstEnd < 0 ? path[1..] : path[1..firstEnd];
        return ApiRoots.Contains(first) ? DropExtraAfterList(Prefix + path) : null;
    }

    /// <summary>Copernica ignores extra path parts after a list resource (<c>database/1/profiles/whatever</c>).</summary>
    private static string DropExtraAfterList(string path)
    {
        var match = ListWithExtra().Match(path);
        return match.Success ? match.Groups[1].Value : path;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(/v3/(?:databases|(?:database|collection)/[^/]+/(?:profiles|profileids|subprofiles|subprofileids|fields|interests|collections)))/.+$")]
    private static partial System.Text.RegularExpressions.Regex ListWithExtra();

    private static async ValueTask<object?> Authenticate(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var token = QueryValues.Get(http.Request, "access_token") ?? "";
        if (string.IsNullOrEmpty(token))
        {
            var header = http.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header[7..].Trim();
        }

        var caller = await http.RequestServices.GetRequiredService<AccountStore>().AuthenticateAsync(token, http.RequestAborted);
        if (caller is null) return CopernicaJson.Error(CopernicaErrors.InvalidAccessToken);
        if (!caller.CanWrite && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            return CopernicaJson.Error(CopernicaErrors.ReadOnlyToken);
        }

        http.Items[typeof(Caller)] = caller;
        return await next(invocation);
    }

    /// <summary>The base URL for <c>X-location</c> headers.</summary>
    public static string PublicBase(this HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<RestOptions>>().Value.PublicBaseUrl;
        return string.IsNullOrEmpty(configured) ? $"{context.Request.Scheme}://{context.Request.Host}" : configured.TrimEnd('/');
    }
}
