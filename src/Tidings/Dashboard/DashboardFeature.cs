using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Tidings.Rejections;
using Tidings.SecretProtection;

namespace Tidings.Dashboard;

/// <summary>
/// The web interface under <c>/dashboard</c>: server-rendered Razor Pages (root: this folder) that call the same feature
/// services as REST, behind a cookie sign-in of their own, with antiforgery tokens on every form, strict security
/// headers, and Data Protection keys kept in the database encrypted with the master key.
/// </summary>
internal static class DashboardFeature
{
    public const string SignedInPolicy = "DashboardSignedIn";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.IdleTimeout > TimeSpan.Zero, "Dashboard:IdleTimeout must be positive")
            .ValidateOnStart();

        services.AddSingleton<DataProtectionKeyRepository>();
        services.AddSecretColumn(DataProtectionKeyRepository.XmlColumn);
        services.AddDataProtection().SetApplicationName("Tidings");
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeyRepository>((o, keys) =>
        {
            o.XmlRepository = keys;
            o.XmlEncryptor = new RowEncryptedKeys();
        });

        DashboardAuthentication.Add(services);
        services.AddAuthorizationBuilder().AddPolicy(SignedInPolicy, p => p.AddAuthenticationSchemes(DashboardClaims.Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".Tidings.Antiforgery";
            o.Cookie.Path = DashboardPaths.Root;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders says DENY
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard";
            o.Conventions.AuthorizeFolder("/", SignedInPolicy);
            o.Conventions.AllowAnonymousToPage("/Pages/SignIn");
            o.Conventions.AllowAnonymousToPage("/Pages/Status");
        }).AddMvcOptions(o =>
        {
            // The forms are plain HTML: jQuery's bracket keys are not spoken, and a malformed one (a[) would throw.
            o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        });
        services.AddSingleton<DashboardAssets>();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardFeature).FullName!);
        app.UseWhen(context => DashboardPaths.IsDashboard(context.Request.Path), dashboard => dashboard.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                SecurityHeaders.Apply(context.Response.Headers);
                return Task.CompletedTask;
            });
            return next(context);
        }));

        // Error statuses of dashboard requests are shown on a page of their own. Registered on the application itself, not
        // in a branch, so the re-executed request is routed again; every other request keeps its own error answers.
        app.UseStatusCodePagesWithReExecute(DashboardPaths.Status + "/{0}");
        app.Use(async (context, next) =>
        {
            if (!DashboardPaths.IsDashboard(context.Request.Path))
            {
                if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            catch (RequestRejectedException) when (!context.Response.HasStarted)
            {
                // A rejection a page does not show itself is a lookup that failed: an id that is not in the signed-in
                // user's account (another account's, or none) is the same 404 as a page that does not exist.
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                // Shown as the 500 page by the status code pages around this; the details stay in the log.
                DashboardLog.PageFailed(logger, ex, context.Request.Method, context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        });

        // The sign-in cookie is sent only under /dashboard (its path) and only dashboard pages carry authorization
        // metadata: the REST API keeps its token authentication and meets neither.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWhen(context => DashboardPaths.IsDashboard(context.Request.Path), dashboard => dashboard.Use(DashboardGate.InvokeAsync));

        app.Services.GetRequiredService<DashboardAssets>().Map(app);
        LiveEvents.Map(app);
        app.MapRazorPages();
        return app;
    }
}
