using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Tidings.Rest;

namespace Tidings.ApiDocs;

/// <summary>The OpenAPI document of the whole API (<c>/openapi/v1.json</c>) and a browsable reference (<c>/docs</c>).</summary>
internal static class ApiDocsFeature
{
    public static WebApplicationBuilder AddApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = "Tidings API";
                document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
                document.Info.Description =
                    "Copernica Marketing Suite REST API v3 compatible marketing data, mailings, events, log files and webhooks, " +
                    "plus Tidings' own calls (notices, mail transfer agent results, webhook domains, secrets, delivery, replays and tests). Send the account's access token as ?access_token=… (as Copernica) " +
                    "or in an Authorization: Bearer header. Every refused request is HTTP 400 with {\"error\":{\"message\":\"…\"}}, " +
                    "as Copernica answers; creating answers 201 with the new id in X-Created and an empty body. The same paths also " +
                    "answer under /v1/, /v2/ and without a version prefix.";
                var configured = context.ApplicationServices.GetRequiredService<IOptions<RestOptions>>().Value.PublicBaseUrl;
                if (!string.IsNullOrEmpty(configured)) document.Servers = [new OpenApiServer { Url = configured }];
                foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<CatalogDocumentTransformer>();
        });
        return builder;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("Tidings API reference").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", (HttpRequest request) => Results.Redirect(IsBrowserVisit(request) ? "/dashboard" : "/docs")).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// A person typing the address into a browser (no query, HTML accepted) is sent to the dashboard; a request with a
    /// query or from a program to the API reference. <c>/?wsdl</c> and <c>/?SOAPAPI=WSDL</c> are answered before this
    /// by the SOAP API (Tidings.Soap), which also takes <c>POST /</c>.
    /// </summary>
    private static bool IsBrowserVisit(HttpRequest request) =>
        !request.QueryString.HasValue && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
}
