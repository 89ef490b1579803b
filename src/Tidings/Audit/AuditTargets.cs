namespace Tidings.Audit;

/// <summary>What an audit entry is about (its <c>target_type</c>), as stored, answered and filtered on.</summary>
internal static class AuditTargets
{
    public const string Webhook = "webhook";
    public const string Domain = "domain";
    public const string WebhookSecret = "webhook-secret";
    public const string Replay = "replay";
    public const string AccessToken = "access-token";
    public const string User = "user";
    public const string Account = "account";
    public const string Database = "database";

    /// <summary>A collection of a database (its removal: SOAP's <c>Collection_remove</c>).</summary>
    public const string Collection = "collection";

    public static readonly IReadOnlyList<string> All = [Webhook, Domain, WebhookSecret, Replay, AccessToken, User, Account, Database, Collection];
}

/// <summary>What was done (<c>action</c>), as stored and answered.</summary>
internal static class AuditActions
{
    public const string Created = "created";
    public const string Changed = "changed";
    public const string Deleted = "deleted";
    public const string Validated = "validated";
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
    public const string Replayed = "replayed";
    public const string Retried = "retried";
    public const string Rotated = "rotated";
    public const string Imported = "imported";
    public const string Removed = "removed";
    public const string Revoked = "revoked";
    public const string RoleChanged = "role-changed";
    public const string PasswordReset = "password-reset";
}
