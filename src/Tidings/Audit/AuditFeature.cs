using Tidings.Rest;

namespace Tidings.Audit;

internal static class AuditFeature
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<AuditActors>();
        builder.Services.AddSingleton<AuditTrail>();
        return builder;
    }

    public static WebApplication MapAudit(this WebApplication app)
    {
        AuditEndpoints.Map(app.MapCopernicaGroup().WithTags("Audit log"));
        return app;
    }
}
