using Tidings.Hosting;

namespace Tidings.Backup;

/// <summary>Backup and restore of a SQLite data folder: the <c>backup DEST</c> and <c>restore SRC</c> operator commands.</summary>
internal static class BackupFeature
{
    public static void AddBackup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OnlineBackup>();
        builder.Services.AddSingleton<BackupRestore>();
        builder.Services.AddAdminVerbs<BackupAdminVerbs>();
    }
}
