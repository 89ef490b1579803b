using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Hosting;

/// <summary>
/// docs/configuration.md and the option classes the server binds cannot drift apart: every setting has its row, every
/// key the page (or another page) names exists, the defaults it gives are the shipped ones, and new durations are
/// <see cref="TimeSpan"/>s.
/// </summary>
public sealed partial class ConfigurationDocsTests(SettingsApp app) : IClassFixture<SettingsApp>
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it reads the docs and the option classes, not the store.";

    /// <summary>
    /// Settings of ASP.NET Core itself the docs may name (the server binds no class for them): a key, or with <c>:*</c>
    /// a section and everything below it.
    /// </summary>
    private static readonly string[] FrameworkSettings = ["Urls", "Logging:*", "Kestrel:*"];

    /// <summary>
    /// Durations that were numbers before every new duration became a <see cref="TimeSpan"/>. They keep their unit: a
    /// deployed <c>"KeyCacheSeconds": 60</c> read as a TimeSpan would become 60 days.
    /// </summary>
    private static readonly string[] NumericDurations =
    [
        "Accounts:TokenCacheSeconds",
        "LogFiles:RetentionDays",
        "Statistics:PollIntervalMs",
        "Webhooks:Dispatch:AttemptRetentionDays",
        "Webhooks:Secrets:CacheSeconds",
        "Webhooks:Secrets:DefaultGraceSeconds",
        "Webhooks:Secrets:MaxGraceSeconds",
        "Webhooks:Signing:KeyCacheSeconds",
        "Webhooks:Signing:PublishedKeysMaxAgeSeconds",
        "Webhooks:Signing:RotationOverlapHours",
    ];

    private BoundSettings Settings => BoundSettings.From(app.Services, app.Registrations);

    [Fact]
    public void Every_setting_of_an_option_class_the_server_binds_has_a_row_in_docs_configuration()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var rows = ConfigurationDoc.Load().Rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = Settings.All.Where(s => !rows.Contains(s.Key)).Select(s => $"{s.Key} ({s.OptionsType.Name}.{s.Path[^1].Name})").ToList();

        missing.ShouldBeEmpty("settings without a row in docs/configuration.md (| `Key` | default | meaning |):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_setting_docs_configuration_names_exists_and_has_one_row()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var doc = ConfigurationDoc.Load();
        var settings = Settings;

        var problems = doc.Rows.Where(r => !IsSetting(settings, r.Key)).Select(r => $"line {r.Line}: a row for `{r.Key}`, which is not a setting")
            .Concat(doc.Rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => $"line {g.Last().Line}: `{g.Key}` has {g.Count()} rows"))
            .Concat(doc.Mentions.Where(m => !IsNamed(settings, m.Key)).Select(m => $"line {m.Line}: `{m.Key}` is not a setting"))
            .ToList();

        problems.ShouldBeEmpty("docs/configuration.md does not match the server's settings:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_setting_the_other_pages_name_exists()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var settings = Settings;

        var problems = ConfigurationDoc.OtherPages
            .SelectMany(page => ConfigurationDoc.Load(page).Mentions.Where(m => !IsNamed(settings, m.Key))
                .Select(m => $"{Path.GetRelativePath(ConfigurationDoc.RepositoryRoot, page)}, line {m.Line}: `{m.Key}` is not a setting"))
            .ToList();

        problems.ShouldBeEmpty("pages that name settings the server does not have:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_defaults_in_docs_configuration_are_the_ones_the_server_ships_with()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var settings = Settings;
        var shipped = new ConfigurationBuilder().AddJsonFile(ConfigurationDoc.ShippedAppSettings).Build();
        var defaults = settings.OptionTypes.ToDictionary(t => t, t => settings.Bind(t, shipped));
        var rows = ConfigurationDoc.Load().Rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var problems = settings.All
            .Where(s => rows.ContainsKey(s.Key) && defaults[s.OptionsType] is not null)
            .Select(s => DocumentedDefault.Problem(s, s.ValueIn(defaults[s.OptionsType]!), rows[s.Key]))
            .OfType<string>()
            .ToList();

        problems.ShouldBeEmpty("defaults in docs/configuration.md that are not what appsettings.json and the option classes give:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_key_of_the_shipped_appsettings_is_a_setting()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var settings = Settings;
        var shipped = new ConfigurationBuilder().AddJsonFile(ConfigurationDoc.ShippedAppSettings).Build();

        var unknown = shipped.AsEnumerable().Where(kv => kv.Value is not null && !IsNamed(settings, kv.Key)).Select(kv => kv.Key).ToList();

        unknown.ShouldBeEmpty("src/Tidings/appsettings.json sets keys no option class has:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void Each_option_class_is_bound_from_the_section_its_Section_constant_names()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);

        var problems = Settings.SectionProblems().ToList();

        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public void Every_duration_setting_is_a_TimeSpan_but_the_older_ones_that_keep_their_unit()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var settings = Settings.All;

        var numeric = settings.Where(s => UnitName().IsMatch(s.Path[^1].Name) && s.ValueType != typeof(TimeSpan)).Select(s => s.Key).ToList();
        var misnamed = settings.Where(s => DurationName().IsMatch(s.Path[^1].Name) && s.ValueType != typeof(TimeSpan)).Select(s => s.Key).ToList();

        numeric.Except(NumericDurations).ShouldBeEmpty("a new duration setting is a TimeSpan (\"00:00:30\"), not a number of a unit");
        NumericDurations.Except(numeric).ShouldBeEmpty("no longer numeric durations: take them off the list");
        misnamed.ShouldBeEmpty("a duration setting is a TimeSpan: " + string.Join(", ", misnamed));
    }

    [Fact]
    public void The_check_sees_the_servers_option_classes_and_the_tables_of_the_doc()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var settings = Settings;

        settings.OptionTypes.ShouldAllBe(t => t.Assembly == typeof(Program).Assembly);
        settings.OptionTypes.Select(t => t.Name).ShouldContain("StorageOptions");
        settings.OptionTypes.Select(t => t.Name).ShouldContain("DispatchOptions");
        settings.OptionTypes.Select(t => t.Name).ShouldContain("IntakeLogOptions");
        settings.All.Single(s => s.Key == "Webhooks:Delivery:Hosts").IsCollection.ShouldBeTrue();
        settings.All.Single(s => s.Key == "Webhooks:Dispatch:ReadBatchSize").IsCollection.ShouldBeFalse();
        ConfigurationDoc.Load().Rows.Count.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void The_check_tells_settings_from_names_that_are_not()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var settings = Settings;

        IsSetting(settings, "Rest:MaxLimit").ShouldBeTrue();
        IsSetting(settings, "Urls").ShouldBeTrue();
        IsSetting(settings, "Rest:NoSuchLimit").ShouldBeFalse();
        IsSetting(settings, "Webhooks:Delivery:Hosts:<name>").ShouldBeFalse();
        IsNamed(settings, "Webhooks:Delivery:Hosts:<name>").ShouldBeTrue();
        IsNamed(settings, "Tracking:TrustedProxies:0").ShouldBeTrue();
        IsNamed(settings, "Webhooks:Dispatch").ShouldBeTrue();
        IsNamed(settings, "Logging:LogLevel:Default").ShouldBeTrue();
        IsNamed(settings, "Rest:MaxLimit:0").ShouldBeFalse();
        IsNamed(settings, "Webhooks:Delivery:Timeout").ShouldBeFalse();
        IsNamed(settings, "Logger:LogLevel").ShouldBeFalse();
    }

    [Fact]
    public void A_documented_default_matches_the_shipped_value_only()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var timeout = Settings.All.Single(s => s.Key == "Webhooks:Domains:Timeout");
        var excluded = Settings.All.Single(s => s.Key == "Tracking:ExcludedHeaders");
        string? Check(BoundSetting setting, object? shipped, string cell) => DocumentedDefault.Problem(setting, shipped, new ConfigurationDoc.Row(setting.Key, cell, 1));

        Check(timeout, TimeSpan.FromSeconds(5), "`00:00:05`").ShouldBeNull();
        Check(timeout, TimeSpan.FromSeconds(5), "`00:00:06`").ShouldNotBeNull();
        Check(timeout, TimeSpan.FromSeconds(5), "`5`").ShouldNotBeNull();
        Check(timeout, TimeSpan.FromSeconds(5), "empty").ShouldNotBeNull();
        Check(excluded, new[] { "Cookie", "Authorization" }, "`Cookie`, `Authorization`").ShouldBeNull();
        Check(excluded, new[] { "Cookie", "Authorization" }, "`Cookie`").ShouldNotBeNull();
        Check(excluded, Array.Empty<string>(), "(empty)").ShouldBeNull();
    }

    [Fact]
    public void The_doc_reader_takes_rows_from_setting_tables_only_and_names_in_every_form()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var doc = ConfigurationDoc.Parse("""
            | File | |
            |---|---|
            | `Not:ASettingRow` | x |

            | Setting | Default | Meaning |
            |---|---|---|
            | `Rest:MaxLimit` | `1000` | Largest `limit`. |
            | `Webhooks:Delivery:Hosts` | (empty) | Entries as `Webhooks:Delivery:Hosts:<name>`. |

            Set `Storage__Provider=Postgres` or `--Tracking:TrustedProxies:0=10.0.0.0/8`, not 00:00:30, HH:MM:SS or http://Host:80/Xy:Z.
            """);

        doc.Rows.Select(r => $"{r.Key} {r.Default}").ShouldBe(["Rest:MaxLimit `1000`", "Webhooks:Delivery:Hosts (empty)"]);
        doc.Mentions.Select(m => m.Key).ShouldBe(
            ["Not:ASettingRow", "Rest:MaxLimit", "Webhooks:Delivery:Hosts", "Webhooks:Delivery:Hosts:<name>", "Storage:Provider", "Tracking:TrustedProxies:0"]);
    }

    /// <summary>A key that may have a row: a setting of an option class, or a framework setting.</summary>
    private static bool IsSetting(BoundSettings settings, string key) =>
        settings.All.Any(s => s.Key == key) || IsFramework(key);

    /// <summary>A key the text may name: a setting, an entry of a list or map setting, a section, or a framework setting.</summary>
    private static bool IsNamed(BoundSettings settings, string key) =>
        IsSetting(settings, key)
        || settings.All.Any(s => s.IsCollection && key.StartsWith(s.Key + ":", StringComparison.Ordinal))
        || settings.OptionTypes.Any(t => BoundSettings.Section(t) == key);

    private static bool IsFramework(string key) => FrameworkSettings.Any(f => f.EndsWith(":*", StringComparison.Ordinal)
        ? key == f[..^2] || key.StartsWith(f[..^1], StringComparison.Ordinal)
        : key == f);

    /// <summary>A name that says its unit: a number of that unit rather than a TimeSpan.</summary>
    [GeneratedRegex("(Ms|Milliseconds|Seconds|Minutes|Hours|Days)$")]
    private static partial Regex UnitName();

    /// <summary>A name that says it is a duration without saying a unit.</summary>
    [GeneratedRegex("(Interval|Timeout|Delay|Lifetime|Linger|Window|Deferral)$")]
    private static partial Regex DurationName();
}
