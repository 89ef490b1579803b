using Tidings.Hosting;

namespace Tidings.Users;

internal static class UsersFeature
{
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsersOptions>().BindConfiguration(UsersOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "Users:LockoutDuration must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<UserService>();
        builder.Services.AddSingleton<UserSessionStore>();
        builder.Services.AddSingleton<UserSessions>();
        builder.Services.AddAdminVerbs<UserAdminVerbs>();
        return builder;
    }
}
