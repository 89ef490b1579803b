using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tidings.Accounts;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Users;

/// <summary>Users of an account and their sign-in against the real store (SQLite, and PostgreSQL in its pass).</summary>
public sealed class UserServiceTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private UserService Service(int maxFailures = 5, int lockoutMinutes = 15) => new(
        app.Services.GetRequiredService<UserStore>(),
        app.Services.GetRequiredService<AccountStore>(),
        _time,
        Options.Create(new UsersOptions { MaxFailedSignIns = maxFailures, LockoutDuration = TimeSpan.FromMinutes(lockoutMinutes), MinPasswordLength = 12 }),
        app.Services.GetRequiredService<Tidings.Audit.AuditTrail>(),
        NullLogger<UserService>.Instance);

    private static string UniqueEmail() => $"user-{Guid.NewGuid():N}@Example.COM";

    [Fact]
    public async Task A_user_created_without_a_password_gets_a_one_time_password_that_must_be_changed_at_first_sign_in()
    {
        var account = (await app.NewAccountAsync()).AccountId;
        var users = Service();
        var (user, oneTime) = await users.CreateAsync(account, UniqueEmail(), UserRole.Editor, password: null, Ct);

        oneTime.ShouldNotBeNull();
        oneTime.Length.ShouldBe(20);
        user.MustChangePassword.ShouldBeTrue();
        user.Email.ShouldBe(user.Email.ToLowerInvariant(), "addresses are stored lower-cased");

        var signedIn = (await users.SignInAsync(user.Email.ToUpperInvariant(), oneTime, Ct)).ShouldBeOfType<SignInOutcome.SignedIn>();
        signedIn.User.MustChangePassword.ShouldBeTrue();

        var changed = await users.ChangePasswordAsync(user.Id, oneTime, "a much longer secret", Ct);
        changed.MustChangePassword.ShouldBeFalse();
        changed.SecurityStamp.ShouldNotBe(user.SecurityStamp, "a new password ends sign-ins made with the old one");
        (await users.SignInAsync(user.Email, oneTime, Ct)).ShouldBeOfType<SignInOutcome.Refused>();
        (await users.SignInAsync(user.Email, "a much longer secret", Ct)).ShouldBeOfType<SignInOutcome.SignedIn>().User.MustChangePassword.ShouldBeFalse();
    }

    [Fact]
    public async Task An_address_is_unique_across_the_server_whatever_its_case()
    {
        var first = (await app.NewAccountAsync("First")).AccountId;
        var second = (await app.NewAccountAsync("Second")).AccountId;
        var email = UniqueEmail();
        await Service().CreateAsync(first, email, UserRole.Admin, null, Ct);

        var refused = await Should.ThrowAsync<RequestRejectedException>(() => Service().CreateAsync(second, email.ToUpperInvariant(), UserRole.Admin, null, Ct));
        refused.Message.ShouldBe("A user with this e-mail address already exists");
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData("Someone <someone@example.com>")]
    [InlineData("a@example.com, b@example.com")]
    public async Task A_malformed_address_is_refused(string email)
    {
        var account = (await app.NewAccountAsync()).AccountId;
        var refused = await Should.ThrowAsync<RequestRejectedException>(() => Service().CreateAsync(account, email, UserRole.Admin, null, Ct));
        refused.Message.ShouldBe("Invalid e-mail address");
    }

    [Fact]
    public async Task A_short_password_and_an_unknown_account_are_refused()
    {
        var account = (await app.NewAccountAsync()).AccountId;
        (await Should.ThrowAsync<RequestRejectedException>(() => Service().CreateAsync(account, UniqueEmail(), UserRole.Admin, "short", Ct)))
            .Message.ShouldBe("The password must have at least 12 characters");
        (await Should.ThrowAsync<RequestRejectedException>(() => Service().CreateAsync(999_999, UniqueEmail(), UserRole.Admin, null, Ct)))
            .Message.ShouldBe("No account with ID 999999");
    }

    [Fact]
    public async Task Repeated_failures_lock_the_address_even_for_the_right_password_until_the_lockout_has_passed()
    {
        var account = (await app.NewAccountAsync()).AccountId;
        var users = Service(maxFailures: 3, lockoutMinutes: 10);
        var (user, _) = await users.CreateAsync(account, UniqueEmail(), UserRole.ReadOnly, "the right password", Ct);

        (await users.SignInAsync(user.Email, "wrong 1", Ct)).ShouldBeOfType<SignInOutcome.Refused>();
        (await users.SignInAsync(user.Email, "wrong 2", Ct)).ShouldBeOfType<SignInOutcome.Refused>();
        var locked = (await users.SignInAsync(user.Email, "wrong 3", Ct)).ShouldBeOfType<SignInOutcome.LockedOut>();
        locked.Until.ShouldBe(_time.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds());

        (await users.SignInAsync(user.Email, "the right password", Ct)).ShouldBeOfType<SignInOutcome.LockedOut>("no password is checked while locked");
        _time.Advance(TimeSpan.FromMinutes(9));
        (await users.SignInAsync(user.Email, "the right password", Ct)).ShouldBeOfType<SignInOutcome.LockedOut>();
        _time.Advance(TimeSpan.FromMinutes(1));
        (await users.SignInAsync(user.Email, "the right password", Ct)).ShouldBeOfType<SignInOutcome.SignedIn>();
    }

    [Fact]
    public async Task A_success_resets_the_count_of_failures()
    {
        var account = (await app.NewAccountAsync()).AccountId;
        var users = Service(maxFailures: 2);
        var (user, _) = await users.CreateAsync(account, UniqueEmail(), UserRole.ReadOnly, "the right password", Ct);

        (await users.SignInAsync(user.Email, "wrong", Ct)).ShouldBeOfType<SignInOutcome.Refused>();
        (await users.SignInAsync(user.Email, "the right password", Ct)).ShouldBeOfType<SignInOutcome.SignedIn>();
        (await users.SignInAsync(user.Email, "wrong", Ct)).ShouldBeOfType<SignInOutcome.Refused>("one failure after a success is not yet two in a row");
    }

    [Fact]
    public async Task An_unknown_address_is_refused_like_a_wrong_password()
    {
        (await Service().SignInAsync(UniqueEmail(), "whatever it is", Ct)).ShouldBeOfType<SignInOutcome.Refused>();
        (await Service().SignInAsync(null, null, Ct)).ShouldBeOfType<SignInOutcome.Refused>();
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_and_a_new_one_that_follows_the_rules()
    {
        var account = (await app.NewAccountAsync()).AccountId;
        var users = Service();
        var (user, _) = await users.CreateAsync(account, UniqueEmail(), UserRole.Admin, "the first password", Ct);

        (await Should.ThrowAsync<RequestRejectedException>(() => users.ChangePasswordAsync(user.Id, "not the password", "a second password", Ct)))
            .Message.ShouldBe("The current password is not right");
        (await Should.ThrowAsync<RequestRejectedException>(() => users.ChangePasswordAsync(user.Id, "the first password", "short", Ct)))
            .Message.ShouldBe("The password must have at least 12 characters");
        (await Should.ThrowAsync<RequestRejectedException>(() => users.ChangePasswordAsync(user.Id, "the first password", "the first password", Ct)))
            .Message.ShouldBe("The new password must differ from the current one");
    }
}
