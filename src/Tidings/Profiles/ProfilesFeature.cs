using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

internal static class ProfilesFeature
{
    public static WebApplicationBuilder AddProfiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatabaseStore>();
        builder.Services.AddSingleton<FieldCache>();
        builder.Services.AddSingleton<FieldStore>();
        builder.Services.AddSingleton<InterestStore>();
        builder.Services.AddSingleton<ProfileStore>();
        builder.Services.AddSingleton<SubprofileStore>();
        builder.Services.AddOptions<ProfileLimits>().Configure<IOptions<RestOptions>>((limits, rest) => limits.MaxBulkDelete = rest.Value.MaxBulkDelete);
        builder.Services.AddSingleton<DatabaseService>();
        builder.Services.AddSingleton<CollectionService>();
        builder.Services.AddSingleton<FieldService>();
        builder.Services.AddSingleton<InterestService>();
        builder.Services.AddSingleton<ProfileService>();
        builder.Services.AddSingleton<SubprofileService>();
        AddEntityRoots(builder.Services);
        return builder;
    }

    /// <summary>The entities whose id is checked before anything else on their paths (see <see cref="EntityPaths"/>).</summary>
    private static void AddEntityRoots(IServiceCollection services)
    {
        string[] putOrPostOrDelete = ["PUT", "POST", "DELETE"];
        var fieldNeedsId = new Dictionary<string, string[]> { ["field"] = putOrPostOrDelete };
        services.AddSingleton(new EntityRoot("database", CopernicaErrors.NoDatabase,
            async (sp, account, id, ct) => await sp.GetRequiredService<DatabaseStore>().FindDatabaseAsync(account, id, ct) is not null, fieldNeedsId));
        services.AddSingleton(new EntityRoot("collection", CopernicaErrors.NoCollection,
            async (sp, account, id, ct) => await sp.GetRequiredService<DatabaseStore>().FindCollectionAsync(account, id, null, ct) is not null, fieldNeedsId));
        services.AddSingleton(new EntityRoot("profile", CopernicaErrors.NoProfile,
            (sp, account, id, ct) => sp.GetRequiredService<ProfileStore>().ExistsAsync(account, id, ct),
            new Dictionary<string, string[]> { ["subprofiles"] = ["GET", "POST", "PUT"] }));
        services.AddSingleton(new EntityRoot("subprofile", CopernicaErrors.NoSubprofile,
            (sp, account, id, ct) => sp.GetRequiredService<SubprofileStore>().ExistsAsync(account, id, ct), new Dictionary<string, string[]>()));
    }

    public static WebApplication MapProfiles(this WebApplication app)
    {
        var api = app.MapCopernicaGroup();
        DatabaseEndpoints.Map(api);
        FieldEndpoints.Map(api);
        InterestEndpoints.Map(api);
        CollectionEndpoints.Map(api);
        ProfileEndpoints.Map(api);
        SubprofileEndpoints.Map(api);
        return app;
    }
}
