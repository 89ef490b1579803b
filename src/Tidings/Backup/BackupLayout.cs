namespace Tidings.Backup;

/// <summary>
/// What a backup folder holds, whatever the server's paths: the database as <c>tidings.db</c> and the intake log's
/// segments in <c>tidings.db-intake/</c>, the layout of a default data folder, so that a backup can also be read or
/// put in place by hand. Never the master key.
/// </summary>
internal static class BackupLayout
{
    public const string DatabaseFile = "tidings.db";

    public const string IntakeFolder = "tidings.db-intake";

    public static string Database(string backup) => Path.Combine(backup, DatabaseFile);

    public static string Intake(string backup) => Path.Combine(backup, IntakeFolder);
}
