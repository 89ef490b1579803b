using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Users;

/// <summary><c>users create</c> and <c>users list</c>, run as the real server executable on a fresh SQLite file.</summary>
public sealed class UserAdminVerbsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-cli-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_directory, "t.db");

    [Fact]
    public async Task Users_create_prints_a_one_time_password_once_and_users_list_shows_that_it_must_be_changed()
    {
        (await CommandLine.RunAsync(Database, [], "accounts", "create", "Shop")).ExitCode.ShouldBe(0);

        var created = await CommandLine.RunAsync(Database, [], "users", "create", "1", "Ann@Example.com", "--role", "editor");
        created.ExitCode.ShouldBe(0, created.Output);
        created.Output.ShouldContain("ann@example.com (editor) created in account 1");
        var oneTime = created.Output.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.Length > 0);
        oneTime.Length.ShouldBe(20);

        var list = await CommandLine.RunAsync(Database, [], "users", "list", "1");
        list.ExitCode.ShouldBe(0, list.Output);
        list.Output.ShouldContain("ann@example.com\teditor\tmust change password");
        list.Output.ShouldNotContain(oneTime, Case.Sensitive, "the password is shown only when it is made");
    }

    [Fact]
    public async Task A_password_read_from_stdin_is_kept_and_need_not_be_changed()
    {
        (await CommandLine.RunAsync(Database, [], "accounts", "create", "Shop")).ExitCode.ShouldBe(0);

        var created = await CommandLine.RunWithInputAsync(Database, "a password of my own\n", "users", "create", "1", "bo@example.com", "--role", "admin", "--password-stdin");
        created.ExitCode.ShouldBe(0, created.Output);
        created.Output.ShouldNotContain("One-time password");

        (await CommandLine.RunAsync(Database, [], "users", "list", "1")).Output.ShouldContain("bo@example.com\tadmin\n");
    }

    [Theory]
    [InlineData(2, "users", "create", "1", "x@example.com")]
    [InlineData(2, "users", "create", "1", "x@example.com", "--role", "owner")]
    [InlineData(2, "users", "create", "1", "x@example.com", "--role", "admin", "--admin")]
    [InlineData(1, "users", "create", "7", "x@example.com", "--role", "admin")]
    [InlineData(1, "users", "create", "1", "no address", "--role", "admin")]
    [InlineData(2, "users", "remove")]
    public async Task Wrong_arguments_say_what_is_wrong_and_exit_non_zero(int exitCode, params string[] args)
    {
        (await CommandLine.RunAsync(Database, [], "accounts", "create", "Shop")).ExitCode.ShouldBe(0);
        var result = await CommandLine.RunAsync(Database, [], args);
        result.ExitCode.ShouldBe(exitCode, result.Output);
        result.Output.Trim().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_second_user_with_the_same_address_is_refused()
    {
        (await CommandLine.RunAsync(Database, [], "accounts", "create", "Shop")).ExitCode.ShouldBe(0);
        (await CommandLine.RunAsync(Database, [], "users", "create", "1", "cy@example.com", "--role", "admin")).ExitCode.ShouldBe(0);
        var again = await CommandLine.RunAsync(Database, [], "users", "create", "1", "CY@example.com", "--role", "editor");
        again.ExitCode.ShouldBe(1);
        again.Output.ShouldContain("A user with this e-mail address already exists.");
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
