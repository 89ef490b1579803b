using Tidings.Rest;

namespace Tidings.Profiles;

public static class ProfilesFeature
{
    public static WebApplicationBuilder AddProfiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatabaseStore>();
        builder.Services.AddSingleton<FieldCache>();
        builder.Services.AddSingleton<FieldStore>();
        builder.Services.AddSingleton<InterestStore>();
        builder.Services.AddSingleton<ProfileStore>();
        builder.Services.AddSingleton<SubprofileStore>();
        return builder;
    }

    public static WebApplication MapProfiles(this WebApplication app)
    {
        var api = app.MapCopernicaGroup();
        DatabaseEndpoints.Map(api);
        ProfileEndpoints.Map(api);
        SubprofileEndpoints.Map(api);
        return app;
    }
}
