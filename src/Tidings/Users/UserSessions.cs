using System.Security.Cryptography;
using System.Text;

namespace Tidings.Users;

/// <summary>The lengths of a session: it ends after <see cref="IdleTimeout"/> unused, and at <see cref="MaxAge"/> at the latest.</summary>
internal sealed record SessionLimits(TimeSpan IdleTimeout, TimeSpan MaxAge);

/// <summary>
/// Sessions that a user's login starts for an API (the SOAP API's legacy <c>login</c>): a random secret handed to the
/// client, of which the database keeps only the hash, so sessions survive restarts and work on every node. A session
/// ends when unused for its idle timeout, at its maximum age, when the user's password changes or is reset, or when the
/// user is removed.
/// </summary>
internal sealed class UserSessions(UserSessionStore store, UserStore users, TimeProvider time)
{
    // Bringing last_used forward on every call would make every read a write; once a minute is precise enough.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>A new session for a user who has just signed in; returns the secret the client sends back.</summary>
    public async Task<string> StartAsync(User user, SessionLimits limits, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.DeleteExpiredAsync(now, ct);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await store.InsertAsync(Hash(secret), user.Id, user.SecurityStamp, now, Expiry(now, now, limits), ct);
        return secret;
    }

    /// <summary>The session's user, or null when there is no such session or it has ended.</summary>
    public async Task<User?> ResumeAsync(string secret, SessionLimits limits, CancellationToken ct)
    {
        if (secret.Length is 0 or > 100) return null;
        var hash = Hash(secret);
        var session = await store.FindAsync(hash, ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (session is null || session.Expires <= now) return null;
        var user = (await users.FindAsync(session.UserId, ct))?.ToUser();
        if (user is null || user.SecurityStamp != session.SecurityStamp || user.MustChangePassword) return null;
        if (now - session.LastUsed >= TouchInterval.TotalMilliseconds) await store.TouchAsync(hash, now, Expiry(session.Created, now, limits), ct);
        return user;
    }

    private static long Expiry(long created, long now, SessionLimits limits) =>
        Math.Min(now + (long)limits.IdleTimeout.TotalMilliseconds, created + (long)limits.MaxAge.TotalMilliseconds);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
