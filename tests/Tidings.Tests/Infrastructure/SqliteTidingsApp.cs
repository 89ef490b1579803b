namespace Tidings.Tests.Infrastructure;

/// <summary>The server on a fresh SQLite file in every run of the suite, also when the suite runs on PostgreSQL.</summary>
public sealed class SqliteTidingsApp : TidingsApp
{
    protected override bool FollowsSuiteProvider => false;
}
