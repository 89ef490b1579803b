namespace Tidings.Users;

/// <summary>A person who signs in, as the store keeps them (without the password hash).</summary>
internal sealed record User(
    long Id,
    long AccountId,
    string Email,
    UserRole Role,
    bool MustChangePassword,
    string SecurityStamp,
    long Created,
    long? LastSignIn);

/// <summary>The outcome of a sign-in attempt.</summary>
internal abstract record SignInOutcome
{
    /// <summary>The password was right; <see cref="User.MustChangePassword"/> says whether a new one must be set first.</summary>
    public sealed record SignedIn(User User) : SignInOutcome;

    /// <summary>Unknown address or wrong password (never said which).</summary>
    public sealed record Refused : SignInOutcome;

    /// <summary>Too many failures: no password is checked until <paramref name="Until"/> (Unix ms).</summary>
    public sealed record LockedOut(long Until) : SignInOutcome;
}
