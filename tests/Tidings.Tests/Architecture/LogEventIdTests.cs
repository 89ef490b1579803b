using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Architecture;

/// <summary>
/// Operators filter the log on event ids, by the table of ranges in docs/operations.md ("Log event ids"): every
/// <c>[LoggerMessage]</c> method of the server has an id of its own, inside the range of the feature (namespace) it
/// belongs to, the table lists exactly these ranges, and entries reach a log with their ids through the server's
/// logging pipeline (whose redacting wrapper hands every entry on).
/// </summary>
public sealed partial class LogEventIdTests
{
    private static readonly (string Namespace, int From, int To)[] Features =
    [
        ("Tidings.Accounts", 1100, 1199),
        ("Tidings.SecretProtection", 1200, 1299),
        ("Tidings.Storage", 2000, 2999),
        ("Tidings.Events", 3000, 3999),
        ("Tidings.Consumption", 4000, 4999),
        ("Tidings.Rest", 5000, 5999),
        ("Tidings.Tracking", 6000, 6999),
        ("Tidings.Mailings", 7000, 7999),
        ("Tidings.Statistics", 8000, 8999),
        ("Tidings.LogFiles", 9000, 9999),
        ("Tidings.Webhooks", 14000, 14999),
        ("Tidings.Users", 15000, 15999),
        ("Tidings.Dashboard", 16000, 16999),
        ("Tidings.Audit", 17000, 17999),
        ("Tidings.Soap", 18000, 18999),
        ("Tidings.Health", 19000, 19099),
        ("Tidings.Backup", 19100, 19199),
        ("Tidings.Telemetry", 19200, 19299),
        ("Tidings.RateLimiting", 19300, 19399),
        ("Tidings.Hosting", 19400, 19499),
    ];

    [Fact]
    public void Every_log_message_has_its_own_event_id_in_its_features_range()
    {
        var messages = LogMessages(typeof(Program).Assembly);
        messages.Count.ShouldBeGreaterThan(30, "the server's [LoggerMessage] methods should be found");

        var problems = messages
            .GroupBy(m => m.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"event id {g.Key} is used by {string.Join(", ", g.Select(m => m.Name))}")
            .Concat(messages.Where(m => !InItsRange(m)).Select(m => $"{m.Name}: event id {m.Id} is outside the range of its feature"))
            .ToList();

        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public void The_operations_guide_lists_the_ranges_of_the_features()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "operations.md"));
        var documented = RangeRow().Matches(text).Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).ToList();

        documented.ShouldBe(Features.Select(f => (f.From, f.To)).ToList());
    }

    [Fact]
    public void The_check_catches_an_id_outside_its_range_and_an_unknown_feature()
    {
        InItsRange(new LogMessage("Tidings.Storage.StorageLog.X", "Tidings.Storage", 2001)).ShouldBeTrue();
        InItsRange(new LogMessage("Tidings.Storage.StorageLog.X", "Tidings.Storage", 3001)).ShouldBeFalse();
        InItsRange(new LogMessage("Tidings.Webhooks.Dispatch.DispatchLog.X", "Tidings.Webhooks.Dispatch", 14303)).ShouldBeTrue();
        InItsRange(new LogMessage("Tidings.Newfeature.NewLog.X", "Tidings.Newfeature", 2001)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_servers_entries_reach_the_log_with_their_event_ids_and_messages()
    {
        var logs = new LogCapture();
        await using (var app = new CapturingApp(logs))
        {
            await app.InitializeAsync();
        }

        logs.Entries.ShouldContain(e => e.Contains("[2001] Applying storage migration ", StringComparison.Ordinal));
        logs.Entries.ShouldContain(e => e.Contains("[1205] Created the master key file ", StringComparison.Ordinal));
    }

    private static bool InItsRange(LogMessage m) =>
        Features.Any(f => (m.Namespace == f.Namespace || m.Namespace.StartsWith(f.Namespace + ".", StringComparison.Ordinal))
            && f.From <= m.Id && m.Id <= f.To);

    private static List<LogMessage> LogMessages(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (method, attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.attribute is not null)
            .Select(x => new LogMessage($"{x.method.DeclaringType!.FullName}.{x.method.Name}", x.method.DeclaringType!.Namespace ?? "", x.attribute!.EventId))
            .ToList();

    [GeneratedRegex(@"^\| (\d+)–(\d+) \|", RegexOptions.Multiline)]
    private static partial Regex RangeRow();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tidings.slnx")) && File.Exists(Path.Combine(dir.FullName, "docs", "operations.md"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("The repository (Tidings.slnx with docs/operations.md) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh server (SQLite, so a first start) whose log, through its own logging pipeline, goes to <paramref name="logs"/>.</summary>
    private sealed class CapturingApp(LogCapture logs) : TidingsApp
    {
        protected override bool FollowsSuiteProvider => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(l => l.AddProvider(logs));
        }
    }

    private sealed record LogMessage(string Name, string Namespace, int Id);
}
