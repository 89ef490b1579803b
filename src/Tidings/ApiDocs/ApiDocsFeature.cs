using Scalar.AspNetCore;

namespace Tidings.ApiDocs;

/// <summary>The OpenAPI document of the whole API (<c>/openapi/v1.json</c>) and a browsable reference (<c>/docs</c>).</summary>
public static class ApiDocsFeature
{
    public static WebApplicationBuilder AddApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Tidings API";
                document.Info.Description = "Copernica REST API v3 compatible marketing data, events and webhooks. Authenticate with ?access_token=… " +
                    "Every error is HTTP 400 with {\"error\":{\"message\":\"…\"}}. The same paths also answer under /v2/ and without a version prefix.";
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<CopernicaOperationTransformer>();
        });
        return builder;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("Tidings API reference").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }
}
