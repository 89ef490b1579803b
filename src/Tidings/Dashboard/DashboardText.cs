namespace Tidings.Dashboard;

/// <summary>Service messages as the configuration pages show them.</summary>
internal static class DashboardText
{
    /// <summary>A service's rejection as a sentence: the REST texts have no final full stop.</summary>
    public static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";
}
