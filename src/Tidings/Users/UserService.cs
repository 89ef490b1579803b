using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tidings.Accounts;
using Tidings.Audit;
using Tidings.Rejections;

namespace Tidings.Users;

/// <summary>
/// Users of an account and their sign-in, for the dashboard, the SOAP API's <c>login</c> and the command line alike:
/// passwords hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, a lockout after
/// <see cref="UsersOptions.MaxFailedSignIns"/> failures kept in the database so that every node and every front end
/// shares it.
/// </summary>
internal sealed partial class UserService(UserStore users, AccountStore accounts, TimeProvider time, IOptions<UsersOptions> options, AuditTrail audit, ILogger<UserService> logger)
{
    private static readonly PasswordHasher<User> Hasher = new();

    // Checked against when the address is unknown, so that a refusal takes as long whether or not the address exists.
    private static readonly string UnknownUserHash = Hasher.HashPassword(null!, OneTimePasswords.Generate());

    /// <summary>
    /// Creates a user. Without <paramref name="password"/> a one-time password is made up and returned, and the user
    /// must set their own at the first sign-in; with one, it is checked against the length rule and kept.
    /// </summary>
    public async Task<(User User, string? OneTimePassword)> CreateAsync(long accountId, string emailText, UserRole role, string? password, CancellationToken ct)
    {
        if (await accounts.FindAccountAsync(accountId, ct) is null) throw new RequestRejectedException($"No account with ID {accountId}");
        if (!EmailAddresses.TryNormalise(emailText, out var email)) throw new RequestRejectedException("Invalid e-mail address");
        var oneTime = password is null ? OneTimePasswords.Generate() : null;
        if (password is not null) CheckRules(password);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var stamp = NewStamp();
        var hash = Hasher.HashPassword(null!, password ?? oneTime!);
        var id = await users.InsertAsync(accountId, email, hash, role, mustChangePassword: oneTime is not null, stamp, now, ct)
            ?? throw new RequestRejectedException("A user with this e-mail address already exists");
        LogCreated(logger, id, accountId, role);
        await audit.RecordAsync(accountId, AuditActions.Created, AuditTargets.User, id, $"{email}, {role.Name()}", ct);
        return (new User(id, accountId, email, role, oneTime is not null, stamp, now, null), oneTime);
    }

    public async Task<SignInOutcome> SignInAsync(string? emailText, string? password, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var row = EmailAddresses.TryNormalise(emailText, out var email) ? await users.FindByEmailAsync(email, ct) : null;
        if (row is null)
        {
            Hasher.VerifyHashedPassword(null!, UnknownUserHash, password ?? "");
            return new SignInOutcome.Refused();
        }

        if (row.LockedUntil is { } lockedUntil && lockedUntil > now) return new SignInOutcome.LockedOut(lockedUntil);

        var user = row.ToUser();
        var verdict = Hasher.VerifyHashedPassword(user, row.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            var o = options.Value;
            var locked = await users.RecordFailureAsync(row.Id, o.MaxFailedSignIns, now + (long)o.LockoutDuration.TotalMilliseconds, ct);
            if (locked is { } until)
            {
                LogLockedOut(logger, row.Id, o.MaxFailedSignIns);
                return new SignInOutcome.LockedOut(until);
            }

            return new SignInOutcome.Refused();
        }

        var rehashed = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user, password!) : null;
        await users.RecordSignInAsync(row.Id, now, rehashed, ct);
        return new SignInOutcome.SignedIn(user with { LastSignIn = now });
    }

    /// <summary>The user's own change: the current password is required, the new one must follow the rules and differ.</summary>
    public async Task<User> ChangePasswordAsync(long userId, string? current, string? next, CancellationToken ct)
    {
        var row = await users.FindAsync(userId, ct) ?? throw new RequestRejectedException("No such user");
        var user = row.ToUser();
        if (Hasher.VerifyHashedPassword(user, row.PasswordHash, current ?? "") == PasswordVerificationResult.Failed)
            throw new RequestRejectedException("The current password is not right");
        CheckRules(next);
        if (next == current) throw new RequestRejectedException("The new password must differ from the current one");

        var stamp = NewStamp();
        await users.SetPasswordAsync(userId, Hasher.HashPassword(user, next!), mustChangePassword: false, stamp, ct);
        LogPasswordChanged(logger, userId);
        return user with { MustChangePassword = false, SecurityStamp = stamp };
    }

    /// <summary>
    /// Gives one of the account's users another role. <paramref name="actingUserId"/> (the admin making the change, if
    /// it is a user) may not change their own role, and the account's last admin stays an admin.
    /// </summary>
    public async Task<User> ChangeRoleAsync(long accountId, long userId, UserRole role, long? actingUserId, CancellationToken ct)
    {
        var user = await RequireAsync(accountId, userId, ct);
        if (user.Role == role) return user;
        if (userId == actingUserId) throw new RequestRejectedException("You cannot change your own role; another admin can");
        if (!await users.SetRoleAsync(accountId, userId, role, ct))
            throw new RequestRejectedException($"{user.Email} is the account's last admin; make another user an admin first");
        await audit.RecordAsync(accountId, AuditActions.RoleChanged, AuditTargets.User, userId, $"{user.Email}: {user.Role.Name()} to {role.Name()}", ct);
        return user with { Role = role };
    }

    /// <summary>
    /// Gives one of the account's users a new one-time password (returned, shown once) that they must change at their
    /// next sign-in; the new security stamp ends their sign-ins. An admin changes their own password on the password page.
    /// </summary>
    public async Task<(User User, string OneTimePassword)> ResetPasswordAsync(long accountId, long userId, long? actingUserId, CancellationToken ct)
    {
        var user = await RequireAsync(accountId, userId, ct);
        if (userId == actingUserId) throw new RequestRejectedException("Change your own password on the password page");
        var oneTime = OneTimePasswords.Generate();
        var stamp = NewStamp();
        await users.SetPasswordAsync(userId, Hasher.HashPassword(null!, oneTime), mustChangePassword: true, stamp, ct);
        await audit.RecordAsync(accountId, AuditActions.PasswordReset, AuditTargets.User, userId, user.Email, ct);
        return (user with { MustChangePassword = true, SecurityStamp = stamp }, oneTime);
    }

    /// <summary>Removes one of the account's users (their sign-ins end); not oneself, not the account's last admin.</summary>
    public async Task<User> RemoveAsync(long accountId, long userId, long? actingUserId, CancellationToken ct)
    {
        var user = await RequireAsync(accountId, userId, ct);
        if (userId == actingUserId) throw new RequestRejectedException("You cannot remove yourself; another admin can");
        if (!await users.DeleteAsync(accountId, userId, ct))
            throw new RequestRejectedException($"{user.Email} is the account's last admin; make another user an admin first");
        await audit.RecordAsync(accountId, AuditActions.Removed, AuditTargets.User, userId, user.Email, ct);
        return user;
    }

    /// <summary>The account's user with this id; a user of another account is a missing one.</summary>
    private async Task<User> RequireAsync(long accountId, long userId, CancellationToken ct) =>
        (await users.FindAsync(userId, ct))?.ToUser() is { } user && user.AccountId == accountId ? user : throw new RequestRejectedException("No such user");

    public async Task<User?> FindAsync(long userId, CancellationToken ct) => (await users.FindAsync(userId, ct))?.ToUser();

    public async Task<IReadOnlyList<User>> ListAsync(long accountId, CancellationToken ct) =>
        (await users.ListAsync(accountId, ct)).Select(r => r.ToUser()).ToList();

    private void CheckRules(string? password)
    {
        var min = options.Value.MinPasswordLength;
        if (string.IsNullOrEmpty(password) || password.Length < min) throw new RequestRejectedException($"The password must have at least {min} characters");
        if (password.Length > 1024) throw new RequestRejectedException("The password may have at most 1024 characters");
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    [LoggerMessage(EventId = 15001, Level = LogLevel.Information, Message = "User {UserId} created in account {AccountId} with role {Role}")]
    private static partial void LogCreated(ILogger logger, long userId, long accountId, UserRole role);

    [LoggerMessage(EventId = 15002, Level = LogLevel.Warning, Message = "User {UserId} locked out after {Failures} failed sign-ins in a row")]
    private static partial void LogLockedOut(ILogger logger, long userId, int failures);

    [LoggerMessage(EventId = 15003, Level = LogLevel.Information, Message = "User {UserId} changed their password")]
    private static partial void LogPasswordChanged(ILogger logger, long userId);
}
