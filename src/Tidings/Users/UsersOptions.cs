using System.ComponentModel.DataAnnotations;

namespace Tidings.Users;

/// <summary>Users who sign in to the dashboard and the SOAP API's <c>login</c>. Bound from the <c>Users</c> section.</summary>
internal sealed class UsersOptions
{
    public const string Section = "Users";

    /// <summary>Failed sign-ins in a row after which an address is locked out (dashboard and SOAP alike).</summary>
    [Range(1, 1000)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked-out address is refused without its password being checked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password a user may set.</summary>
    [Range(8, 1024)]
    public int MinPasswordLength { get; set; } = 12;
}
