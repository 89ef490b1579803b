using Tidings.Tests.Hosting;

namespace Tidings.Tests.Deployment;

/// <summary>
/// What deploy/ must agree on with the published build and docs/configuration.md. Each check takes the files' text and
/// returns the problems it finds, so that a test can run it on a broken copy and see it fail.
/// </summary>
internal static class DeploymentChecks
{
    /// <summary>Where the server listens inside the container (issue: <c>0.0.0.0:5080</c>).</summary>
    public const string ContainerUrls = "http://0.0.0.0:5080";

    /// <summary>The host's own variables, which are not Tidings settings (docs/configuration.md lists only those).</summary>
    private static readonly string[] HostVariablePrefixes = ["ASPNETCORE_", "DOTNET_"];

    /// <summary>The data folder the documented default <c>Storage:SqlitePath</c> gives, relative to the working directory.</summary>
    public static string DocumentedDataFolder(ConfigurationDoc doc)
    {
        var row = doc.Rows.Single(r => r.Key == "Storage:SqlitePath");
        var path = ConfigurationDoc.CodeSpans(row.Default).Single();
        return Path.GetDirectoryName(path)!.Replace('\\', '/');
    }

    public static IEnumerable<string> Dockerfile(string dockerfile, string assemblyName, ConfigurationDoc doc)
    {
        var all = DeployFiles.Instructions(dockerfile);
        if (all.Count(i => i.Name == "FROM") < 2) yield return "not a multi-stage build (an SDK stage that publishes, a runtime stage that runs)";
        var stage = DeployFiles.FinalStage(dockerfile);
        var from = stage.FirstOrDefault(i => i.Name == "FROM")?.Arguments ?? "";
        if (!from.Contains("dotnet/aspnet", StringComparison.Ordinal)) yield return $"the final stage runs on '{from}', not the ASP.NET Core runtime image";

        // The entry point must name what `dotnet publish` produces, where the final stage copied it.
        var entry = stage.LastOrDefault(i => i.Name == "ENTRYPOINT") ?? stage.LastOrDefault(i => i.Name == "CMD");
        var command = entry is null ? null : DeployFiles.ExecForm(entry.Arguments);
        if (command is null || command.Count == 0) yield return "no ENTRYPOINT or CMD in exec form ([\"dotnet\", \"/app/<assembly>.dll\"])";
        else
        {
            var target = command[0] == "dotnet" && command.Count > 1 ? command[1] : command[0];
            var expected = command[0] == "dotnet" ? assemblyName + ".dll" : assemblyName;
            if (Path.GetFileName(target) != expected) yield return $"the entry point runs '{target}', but the published build is '{expected}'";
            var folder = Path.GetDirectoryName(target)?.Replace('\\', '/');
            var copied = stage.Where(i => i.Name == "COPY" && i.Arguments.StartsWith("--from=", StringComparison.Ordinal))
                .Select(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('/'));
            if (!copied.Contains(folder)) yield return $"the entry point's folder '{folder}' is not where the final stage copies the published build";
        }

        if (stage.LastOrDefault(i => i.Name == "USER")?.Arguments is not { Length: > 0 } user || user is "root" or "0" || user.StartsWith("0:", StringComparison.Ordinal))
        {
            yield return "the final stage does not switch to a non-root USER";
        }

        var environment = DeployFiles.Environment(stage);
        var exposed = stage.Where(i => i.Name == "EXPOSE").Select(i => i.Arguments.Split('/')[0]).ToList();
        if (!environment.TryGetValue("Urls", out var urls) || urls != ContainerUrls) yield return $"Urls is '{urls}', not {ContainerUrls}";
        if (exposed.Count != 1 || !Uri.TryCreate(urls, UriKind.Absolute, out var listen) || exposed[0] != listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            yield return $"EXPOSE {string.Join(' ', exposed)} is not the port of Urls '{urls}'";
        }

        // The volume is the data folder that relative paths give in the working directory.
        var workdir = stage.LastOrDefault(i => i.Name == "WORKDIR")?.Arguments;
        var volumes = stage.Where(i => i.Name == "VOLUME").Select(i => i.Arguments.Trim('[', ']', '"', ' ')).ToList();
        var dataFolder = workdir is null ? null : CombineUnix(workdir, DocumentedDataFolder(doc));
        if (volumes.Count != 1 || volumes[0] != dataFolder) yield return $"VOLUME {string.Join(' ', volumes)} is not the data folder '{dataFolder}' of WORKDIR '{workdir}'";
        if (volumes.Count == 1 && volumes[0] != "/data") yield return $"the volume is '{volumes[0]}', not /data";

        foreach (var problem in Undocumented(environment.Keys, doc, "the Dockerfile")) yield return problem;
        if (stage.Any(i => i.Name == "HEALTHCHECK")) yield return "a HEALTHCHECK, but the runtime image has no HTTP client to run it with";
    }

    public static IEnumerable<string> Compose(string compose, string dockerfile, string unit, ConfigurationDoc doc)
    {
        var service = DeployFiles.ComposeServiceNamed(compose, "tidings");
        if (service is null)
        {
            yield return "compose.yaml has no service 'tidings'";
            yield break;
        }

        var stage = DeployFiles.FinalStage(dockerfile);
        var port = stage.FirstOrDefault(i => i.Name == "EXPOSE")?.Arguments.Split('/')[0];
        var ports = service.Lists.GetValueOrDefault("ports") ?? [];
        if (ports.Count == 0 || ports.Any(p => p.Split(':')[^1].Split('/')[0] != port)) yield return $"the published ports ({string.Join(", ", ports)}) do not all go to the container's port {port}";

        var volume = stage.FirstOrDefault(i => i.Name == "VOLUME")?.Arguments.Trim('[', ']', '"', ' ');
        var mounts = service.Lists.GetValueOrDefault("volumes") ?? [];
        if (!mounts.Any(m => m.Split(':') is [_, var target, ..] && target == volume)) yield return $"no volume mounted on the image's data folder '{volume}'";

        if (service.Maps.GetValueOrDefault("build") is not { } build || build.GetValueOrDefault("dockerfile") != "deploy/Dockerfile")
        {
            yield return "the service is not built from deploy/Dockerfile";
        }

        var environment = service.Maps.GetValueOrDefault("environment") ?? new Dictionary<string, string>();
        if (environment.GetValueOrDefault("Storage__Provider") != "Postgres") yield return "Storage__Provider is not Postgres";
        if (!environment.GetValueOrDefault("Storage__PostgresConnectionString", "").Contains("Host=db", StringComparison.Ordinal)) yield return "Storage__PostgresConnectionString does not name the db service (Host=db)";
        foreach (var problem in Undocumented(environment.Keys, doc, "compose.yaml")) yield return problem;

        // Both service managers give the server the same time to stop in order.
        var stop = DeployFiles.UnitSection(unit, "Service")["TimeoutStopSec"].LastOrDefault();
        if (service.Scalars.GetValueOrDefault("stop_grace_period") != stop + "s") yield return $"stop_grace_period is not the unit's TimeoutStopSec ({stop} s)";
    }

    /// <summary>Directive and value the unit must have, for a dedicated, confined service.</summary>
    private static readonly (string Key, string Value)[] Hardening =
    [
        ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("PrivateTmp", "yes"), ("ProtectHome", "yes"),
        ("Restart", "on-failure"), ("StateDirectory", "tidings"), ("WorkingDirectory", "/var/lib/tidings"),
    ];

    /// <summary>How long the server gives an orderly stop: the documented default of <c>Server:ShutdownTimeout</c> (the host's <c>HostOptions.ShutdownTimeout</c>).</summary>
    public static TimeSpan HostShutdownTimeout(ConfigurationDoc doc) =>
        TimeSpan.Parse(ConfigurationDoc.CodeSpans(doc.Rows.Single(r => r.Key == "Server:ShutdownTimeout").Default).Single(), System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<string> Unit(string unit, string assemblyName, ConfigurationDoc doc)
    {
        var service = DeployFiles.UnitSection(unit, "Service");
        foreach (var (key, value) in Hardening)
        {
            if (service[key].LastOrDefault() != value) yield return $"{key}={value} is missing (it is '{service[key].LastOrDefault()}')";
        }

        if (service["User"].LastOrDefault() is not { Length: > 0 } user || user is "root" or "0") yield return "no dedicated User=";
        var exec = service["ExecStart"].LastOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var target = exec is [var first, var second, ..] && Path.GetFileName(first) == "dotnet" ? second : exec.FirstOrDefault();
        if (target is null || Path.GetFileName(target) is var name && name != assemblyName && name != assemblyName + ".dll") yield return $"ExecStart runs '{target}', not the published {assemblyName}";

        // The state directory is writable under ProtectSystem=strict by itself; any other path written must be listed.
        var writable = service["ReadWritePaths"].SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append("/var/lib/" + service["StateDirectory"].LastOrDefault());
        if (!writable.Contains(service["WorkingDirectory"].LastOrDefault())) yield return "the working directory (the data folder's parent) is not writable";

        var shutdown = HostShutdownTimeout(doc);
        if (!int.TryParse(service["TimeoutStopSec"].LastOrDefault(), out var stop) || TimeSpan.FromSeconds(stop) <= shutdown)
        {
            yield return $"TimeoutStopSec ({service["TimeoutStopSec"].LastOrDefault()}) leaves the server's {shutdown.TotalSeconds} s shutdown (Server:ShutdownTimeout) no margin before SIGKILL";
        }

        if (service["MemoryDenyWriteExecute"].LastOrDefault() == "yes") yield return "MemoryDenyWriteExecute=yes stops the .NET JIT";
        foreach (var problem in Undocumented(DeployFiles.UnitEnvironmentNames(unit), doc, "the unit")) yield return problem;
    }

    /// <summary>Environment variables that are not a setting in docs/configuration.md (<c>A__B__0</c> is <c>A:B</c>'s entry).</summary>
    public static IEnumerable<string> Undocumented(IEnumerable<string> variables, ConfigurationDoc doc, string where)
    {
        var keys = doc.Rows.Select(r => r.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in variables)
        {
            if (HostVariablePrefixes.Any(p => variable.StartsWith(p, StringComparison.Ordinal))) continue;
            var segments = variable.Split("__");
            var documented = Enumerable.Range(1, segments.Length).Any(n => keys.Contains(string.Join(':', segments[..n])) && (n == segments.Length || n >= 2));
            if (!documented) yield return $"{where} sets {variable}, which is not a setting in docs/configuration.md";
        }
    }

    private static string CombineUnix(string folder, string relative) => folder.TrimEnd('/') + "/" + relative;
}
