using System.ComponentModel.DataAnnotations;

namespace Tidings.Accounts;

/// <summary>Accounts and access tokens. Bound from the <c>Accounts</c> section.</summary>
internal sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Create an account with a read-write token at first start and print the token once.</summary>
    public bool CreateDefaultAccount { get; set; } = true;

    /// <summary>Name of the account created at first start.</summary>
    [Required, MinLength(1)]
    public string DefaultAccountName { get; set; } = "Default";

    /// <summary>
    /// How long a verified token is remembered in memory, in seconds. A token revoked from another process (the command
    /// line, another node) stops working within this time; 0 checks the store on every request.
    /// </summary>
    [Range(0, 86_400)]
    public int TokenCacheSeconds { get; set; } = 30;
}
