namespace Tidings.Audit;

/// <summary>Who made a change: how they came in (<see cref="AuditActorKinds"/>) and who they are, in words.</summary>
internal sealed record AuditActor(string Kind, string Text);

/// <summary>The kinds of actor, as stored and answered.</summary>
internal static class AuditActorKinds
{
    /// <summary>A user signed in to the dashboard: their e-mail address and user id.</summary>
    public const string User = "user";

    /// <summary>A REST call: the access token's name and id (never its value).</summary>
    public const string Token = "token";

    /// <summary>An operator command (<c>Tidings users …</c>, <c>Tidings accounts …</c>).</summary>
    public const string CommandLine = "command-line";

    /// <summary>The server on its own (the first start's token, a background job).</summary>
    public const string System = "system";

    public static readonly IReadOnlyList<string> All = [User, Token, CommandLine, System];
}
