namespace Tidings.Users;

/// <summary>
/// What a user may do in the account: <see cref="Admin"/> everything (users and access tokens included),
/// <see cref="Editor"/> the data and the webhooks but not users or tokens, <see cref="ReadOnly"/> see, change nothing.
/// </summary>
internal enum UserRole
{
    Admin,
    Editor,
    ReadOnly,
}

internal static class UserRoles
{
    /// <summary>The names used on the command line, in the store and on the pages.</summary>
    public static readonly IReadOnlyList<string> Names = ["admin", "editor", "read-only"];

    public static string Name(this UserRole role) => role switch
    {
        UserRole.Admin => "admin",
        UserRole.Editor => "editor",
        _ => "read-only",
    };

    public static bool TryParse(string? text, out UserRole role)
    {
        role = UserRole.ReadOnly;
        switch (text)
        {
            case "admin": role = UserRole.Admin; return true;
            case "editor": role = UserRole.Editor; return true;
            case "read-only": role = UserRole.ReadOnly; return true;
            default: return false;
        }
    }

    /// <summary>Whether the role may change the account's data and webhooks.</summary>
    public static bool CanEdit(this UserRole role) => role is UserRole.Admin or UserRole.Editor;

    /// <summary>Whether the role may manage users and access tokens.</summary>
    public static bool CanAdminister(this UserRole role) => role is UserRole.Admin;
}
