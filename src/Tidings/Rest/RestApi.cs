using Microsoft.Extensions.Options;
using Tidings.Rejections;

namespace Tidings.Rest;

/// <summary>
/// The conventions every Copernica-compatible endpoint shares: the <c>/v3</c> route group with token authentication,
/// the <c>/v1</c>, <c>/v2</c> and unversioned aliases, and Copernica's error format for everything that goes wrong.
/// </summary>
internal static partial class RestApi
{
    public const string Prefix = "/v3";

    public static WebApplicationBuilder AddRest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RestOptions>().BindConfiguration(RestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CopernicaTime>();
        builder.Services.AddSingleton<EntityRoots>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = null);
        return builder;
    }

    /// <summary>
    /// Rewrites aliases to <c>/v3</c>; after routing, before any endpoint runs, checks an entity path's id
    /// (<see cref="EntityPaths"/>) and refuses paths spelt in another case (<see cref="PathCase"/>); turns failures on
    /// API paths into Copernica errors.
    /// </summary>
    public static WebApplication UseRest(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var api = ApiPath.From(path);
            if (api is null)
            {
                await next();
                return;
            }

            context.Items[typeof(ApiPath)] = api;
            context.Request.Path = api.Path;
            try
            {
                if (api.WrongCase) throw new RequestRejectedException(CopernicaErrors.InvalidMethod);
                V2Answers.SeeOtherOnPut(context, api);
                await next();
                if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
                {
                    await CopernicaJson.WriteErrorAsync(context, CopernicaErrors.InvalidMethod);
                }
            }
            catch (ApiCallRefusedException ex) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers.RetryAfter = ex.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await CopernicaJson.WriteErrorAsync(context, ex.Message, ex.Status);
            }
            catch (RequestRejectedException ex) when (!context.Response.HasStarted)
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
                app.Logger.UnhandledError(ex, context.Request.Method, path);
                context.Response.Clear();
                await CopernicaJson.WriteErrorAsync(context, "Internal server error", StatusCodes.Status500InternalServerError);
            }
        });
        app.UseRouting();
        app.Use(async (context, next) =>
        {
            if (context.Items.ContainsKey(typeof(ApiPath)))
            {
                await EntityPaths.CheckAsync(context);
                if (!PathCase.MatchesRoute(context)) throw new RequestRejectedException(CopernicaErrors.InvalidMethod);
            }

            await next();
        });
        return app;
    }

    /// <summary>The authenticated <c>/v3</c> route group a feature maps its Copernica endpoints on.</summary>
    public static RouteGroupBuilder MapCopernicaGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).AddEndpointFilter(Authenticate);

    /// <summary>The caller resolved from the request's token.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new RequestRejectedException(CopernicaErrors.InvalidAccessToken);

    /// <summary>The version the client asked for: 1, 2, 3, or null for an unversioned path (or no API path).</summary>
    public static int? ApiVersion(this HttpContext context) => (context.Items[typeof(ApiPath)] as ApiPath)?.Version;

    [System.Text.RegularExpressions.GeneratedRegex("^(/v3/(?:databases|(?:database|collection)/[^/]+/(?:profiles|profileids|subprofiles|subprofileids|fields|interests|collections)))/.+$")]
    internal static partial System.Text.RegularExpressions.Regex ListWithExtra();

    private static async ValueTask<object?> Authenticate(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var caller = await AuthenticateAsync(http);
        if (caller is null) return CopernicaJson.Error(CopernicaErrors.InvalidAccessToken);
        if (!caller.CanWrite && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            return CopernicaJson.Error(CopernicaErrors.ReadOnlyToken);
        }

        return await next(invocation);
    }

    /// <summary>
    /// The caller the request's token stands for, or null when the token is missing or unknown. Looked up once per
    /// request (the entity check before the endpoint may already have done it), and counted as an API call of its
    /// account.
    /// </summary>
    internal static async ValueTask<Caller?> AuthenticateAsync(HttpContext http)
    {
        if (http.Items[typeof(Caller)] is Caller known) return known;
        var token = QueryValues.Get(http.Request, "access_token") ?? "";
        if (string.IsNullOrEmpty(token))
        {
            var header = http.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header[7..].Trim();
        }

        var caller = await http.RequestServices.GetRequiredService<ICallerLookup>().AuthenticateAsync(token, http.RequestAborted);
        if (caller is null) return null;
        // The rate limit refuses before the call is counted or does any work; some endpoints are exempt from it.
        if (http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.DisableRateLimitingAttribute>() is null
            && http.RequestServices.GetService<IApiCallLimiter>() is { } limiter)
        {
            await limiter.AdmitAsync(caller, "rest", http.RequestAborted);
        }

        http.Items[typeof(Caller)] = caller;
        http.RequestServices.GetRequiredService<IApiCallCounter>().Count(caller.AccountId);
        return caller;
    }

    /// <summary>The base URL for <c>X-location</c> headers.</summary>
    public static string PublicBase(this HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<RestOptions>>().Value.PublicBaseUrl;
        return string.IsNullOrEmpty(configured) ? $"{context.Request.Scheme}://{context.Request.Host}" : configured.TrimEnd('/');
    }
}
