namespace Tidings.Dashboard;

/// <summary>The web interface under <c>/dashboard</c>. Bound from the <c>Dashboard</c> section.</summary>
internal sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>How long a sign-in lasts without a request; every request starts it again (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
