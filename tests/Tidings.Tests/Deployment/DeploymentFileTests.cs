using System.Diagnostics;
using Tidings.Tests.Hosting;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Deployment;

/// <summary>
/// deploy/Dockerfile, deploy/compose.yaml and deploy/tidings.service agree with the published build and
/// docs/configuration.md (no container engine or systemd runs here, so their text is checked). Each check is also run
/// on a broken copy, to show that it can fail.
/// </summary>
public sealed class DeploymentFileTests
{
    private const string SqlitePassOnly = "Reads files only: runs in the SQLite pass.";
    private static readonly ConfigurationDoc Doc = ConfigurationDoc.Load();
    private static readonly string Assembly = DeployFiles.AssemblyName();

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void The_server_project_publishes_Tidings()
    {
        Assert.Equal("Tidings", Assembly);
        Assert.Equal(typeof(Program).Assembly.GetName().Name, Assembly);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void The_documented_data_folder_is_data() => Assert.Equal("data", DeploymentChecks.DocumentedDataFolder(Doc));

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void The_Dockerfile_runs_the_published_dll_on_port_5080_with_the_data_volume() =>
        Assert.Empty(DeploymentChecks.Dockerfile(DeployFiles.Dockerfile, Assembly, Doc));

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("\"/app/Tidings.dll\"", "\"/app/Tiding.dll\"", "published build")]
    [InlineData("\"/app/Tidings.dll\"", "\"/opt/Tidings.dll\"", "copies the published build")]
    [InlineData("EXPOSE 5080", "EXPOSE 8080", "EXPOSE")]
    [InlineData("Urls=http://0.0.0.0:5080", "Urls=http://127.0.0.1:5080", "Urls")]
    [InlineData("VOLUME /data", "VOLUME /var/lib/tidings", "VOLUME")]
    [InlineData("WORKDIR /\n", "WORKDIR /app\n", "VOLUME")]
    [InlineData("USER tidings", "USER root", "non-root")]
    [InlineData("ASPNETCORE_HTTP_PORTS=", "ASPNETCORE_HTTP_PORTS= Storage__Bogus=1", "Storage__Bogus")]
    [InlineData("ENTRYPOINT [\"dotnet\", \"/app/Tidings.dll\"]", "ENTRYPOINT dotnet /app/Tidings.dll", "exec form")]
    [InlineData("EXPOSE 5080", "EXPOSE 5080\nHEALTHCHECK CMD curl -f http://localhost:5080/", "HEALTHCHECK")]
    public void A_broken_Dockerfile_is_reported(string part, string broken, string expected)
    {
        var dockerfile = DeployFiles.Dockerfile;
        Assert.Contains(part, dockerfile, StringComparison.Ordinal);
        var problems = DeploymentChecks.Dockerfile(dockerfile.Replace(part, broken, StringComparison.Ordinal), Assembly, Doc).ToList();
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void The_image_build_leaves_out_local_build_output_and_the_compose_secrets()
    {
        var ignored = File.ReadAllLines(Path.Combine(DeployFiles.Folder, "Dockerfile.dockerignore")).Select(l => l.Trim()).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("deploy/.env", ignored);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void The_compose_file_runs_the_image_on_PostgreSQL_with_documented_settings() =>
        Assert.Empty(DeploymentChecks.Compose(DeployFiles.Compose, DeployFiles.Dockerfile, DeployFiles.Unit, Doc));

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("\"127.0.0.1:5080:5080\"", "\"127.0.0.1:5080:8080\"", "published ports")]
    [InlineData("tidings-data:/data", "tidings-data:/srv/data", "data folder")]
    [InlineData("Storage__PostgresConnectionString:", "Storage__PostgresConnection:", "Storage__PostgresConnection,")]
    [InlineData("Storage__Provider: Postgres", "Storage__Provider: Postgres\n      Storage__Bogus: x", "Storage__Bogus")]
    [InlineData("Storage__Provider: Postgres", "Storage__Provider: Sqlite", "Postgres")]
    [InlineData("stop_grace_period: 45s", "stop_grace_period: 10s", "stop_grace_period")]
    [InlineData("dockerfile: deploy/Dockerfile", "dockerfile: Dockerfile", "deploy/Dockerfile")]
    public void A_broken_compose_file_is_reported(string part, string broken, string expected)
    {
        var compose = DeployFiles.Compose;
        Assert.Contains(part, compose, StringComparison.Ordinal);
        var problems = DeploymentChecks.Compose(compose.Replace(part, broken, StringComparison.Ordinal), DeployFiles.Dockerfile, DeployFiles.Unit, Doc).ToList();
        Assert.Contains(problems, p => p.Contains(expected.TrimEnd(','), StringComparison.Ordinal));
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void The_systemd_unit_runs_a_dedicated_confined_user_in_its_state_directory() =>
        Assert.Empty(DeploymentChecks.Unit(DeployFiles.Unit, Assembly, Doc));

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("NoNewPrivileges=yes", "NoNewPrivileges=no", "NoNewPrivileges")]
    [InlineData("ProtectSystem=strict", "ProtectSystem=full", "ProtectSystem")]
    [InlineData("PrivateTmp=yes", "#PrivateTmp=yes", "PrivateTmp")]
    [InlineData("ProtectHome=yes", "ProtectHome=no", "ProtectHome")]
    [InlineData("Restart=on-failure", "Restart=no", "Restart")]
    [InlineData("User=tidings", "User=root", "User")]
    [InlineData("StateDirectory=tidings", "StateDirectory=tiding", "StateDirectory")]
    [InlineData("WorkingDirectory=/var/lib/tidings", "WorkingDirectory=/opt/tidings", "WorkingDirectory")]
    [InlineData("TimeoutStopSec=45", "TimeoutStopSec=30", "TimeoutStopSec")]
    [InlineData("ExecStart=/opt/tidings/Tidings", "ExecStart=/opt/tidings/Server", "ExecStart")]
    [InlineData("# Environment=Storage__Provider=Postgres", "# Environment=Storage__Providers=Postgres", "Storage__Providers")]
    [InlineData("UMask=0077", "UMask=0077\nMemoryDenyWriteExecute=yes", "JIT")]
    public void A_broken_systemd_unit_is_reported(string part, string broken, string expected)
    {
        var unit = DeployFiles.Unit;
        Assert.Contains(part, unit, StringComparison.Ordinal);
        var problems = DeploymentChecks.Unit(unit.Replace(part, broken, StringComparison.Ordinal), Assembly, Doc).ToList();
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public void A_shutdown_timeout_that_reaches_the_units_stop_timeout_is_reported()
    {
        var markdown = File.ReadAllText(Path.Combine(ConfigurationDoc.RepositoryRoot, "docs", "configuration.md"));
        const string shipped = "| `Server:ShutdownTimeout` | `00:00:30` |";
        Assert.Contains(shipped, markdown, StringComparison.Ordinal);
        var longer = ConfigurationDoc.Parse(markdown.Replace(shipped, "| `Server:ShutdownTimeout` | `00:00:45` |", StringComparison.Ordinal));
        Assert.Contains(DeploymentChecks.Unit(DeployFiles.Unit, Assembly, longer), p => p.Contains("Server:ShutdownTimeout", StringComparison.Ordinal));
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Systemd_accepts_the_unit_without_a_warning()
    {
        var problems = await VerifyUnitAsync(DeployFiles.Unit);
        Assert.True(problems.Length == 0, "systemd-analyze verify: " + problems);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Systemd_reports_a_misspelt_directive()
    {
        var problems = await VerifyUnitAsync(DeployFiles.Unit.Replace("ProtectSystem=strict", "ProtectSystm=strict", StringComparison.Ordinal));
        Assert.Contains("ProtectSystm", problems, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>systemd-analyze verify</c> on a copy whose ExecStart is <c>/usr/bin/true</c> (it checks that the program exists,
    /// and /opt/tidings is not installed here; ExecStart itself is checked above). Returns what it printed, or its exit code.
    /// </summary>
    private static async Task<string> VerifyUnitAsync(string unit)
    {
        const string Tool = "/usr/bin/systemd-analyze";
        if (!File.Exists(Tool)) MissingDependency.Report("verify the systemd unit", "systemd-analyze is not installed (Debian package systemd)");
        var folder = Directory.CreateTempSubdirectory("tidings-unit-");
        try
        {
            var path = Path.Combine(folder.FullName, "tidings.service");
            var lines = unit.Split('\n').Select(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) ? "ExecStart=/usr/bin/true" : l);
            await File.WriteAllTextAsync(path, string.Join('\n', lines), TestContext.Current.CancellationToken);
            var start = new ProcessStartInfo(Tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("verify");
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            var printed = ((await output) + (await error)).Trim();
            return process.ExitCode == 0 ? printed : $"exit code {process.ExitCode}: {printed}";
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
