using System.Globalization;
using System.Security.Claims;
using Tidings.Rest;

namespace Tidings.Audit;

/// <summary>
/// Finds who is making the current change, wherever the feature service was called from: a REST call is its access
/// token (name and id, as the REST authentication resolved it), a dashboard request its signed-in user, an operator
/// command the command line, anything else (no request at all) the system.
/// </summary>
internal sealed class AuditActors(IHttpContextAccessor http)
{
    private volatile bool _commandLine;

    /// <summary>Called once when the process runs an operator command instead of the server.</summary>
    public void RunningCommandLine() => _commandLine = true;

    public AuditActor Current()
    {
        var context = http.HttpContext;
        if (context is null) return _commandLine ? new AuditActor(AuditActorKinds.CommandLine, "command line") : new AuditActor(AuditActorKinds.System, "Tidings");
        if (context.Items[typeof(Caller)] is Caller caller)
        {
            return caller.UserEmail.Length > 0 ? User(caller.UserEmail, caller.UserId.ToString(CultureInfo.InvariantCulture)) : Token(caller);
        }

        // The dashboard's cookie sign-in is the server's only one; its standard claims are read here rather than through
        // the dashboard, which depends on this feature (its audit page).
        var principal = context.User;
        if (principal.Identity is { IsAuthenticated: true }
            && principal.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
            && principal.FindFirstValue(ClaimTypes.Name) is { Length: > 0 } email)
        {
            return User(email, id);
        }

        return new AuditActor(AuditActorKinds.System, "Tidings");
    }

    private static AuditActor User(string email, string id) => new(AuditActorKinds.User, $"{email} (user {id})");

    /// <summary>A token by its name and id only: its value is never known here, nor written anywhere.</summary>
    private static AuditActor Token(Caller caller) =>
        new(AuditActorKinds.Token, caller.TokenName.Length > 0
            ? $"token '{caller.TokenName}' (id {caller.TokenId.ToString(CultureInfo.InvariantCulture)})"
            : $"token {caller.TokenId.ToString(CultureInfo.InvariantCulture)}");
}
