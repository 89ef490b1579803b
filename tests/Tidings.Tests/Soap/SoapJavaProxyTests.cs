using System.Text.RegularExpressions;
using System.Xml.Linq;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// A Java proxy from the WSDL alone: Debian's <c>wsimport</c> (package jaxws) reads the running server's WSDL URL and
/// generates the service, port and types generated Copernica proxies have; a small Java program compiled against
/// that proxy then calls <c>Account_databases</c> with a token. Runs in the SQLite pass; fails under CI when jaxws or
/// a JDK is missing, skips elsewhere.
/// </summary>
public sealed partial class SoapJavaProxyTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private const string Need = "generate and run a Java proxy with wsimport";
    private const string Install = "install the Debian packages jaxws and default-jdk-headless";
    private const string JaxwsLib = "/usr/share/jaxws/lib";
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";

    [Fact(Skip = "Does not depend on the storage provider: runs in the SQLite pass", SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Wsimport_generates_a_proxy_from_the_wsdl_url_that_calls_account_databases()
    {
        var client = await app.NewAccountAsync();
        await client.CreateDatabaseAsync("Java One");
        await client.CreateDatabaseAsync("Java Two");
        var wsdlUrl = new Uri(app.BaseAddress, "/?SOAPAPI=WSDL").ToString();
        var operations = XDocument.Parse(await app.CreateClient().GetStringAsync(wsdlUrl, TestContext.Current.CancellationToken))
            .Root!.Element(Wsdl + "portType")!.Elements(Wsdl + "operation").Select(o => o.Attribute("name")!.Value).ToList();
        var work = Directory.CreateTempSubdirectory("tidings-wsimport-");
        try
        {
            var src = Directory.CreateDirectory(Path.Combine(work.FullName, "src")).FullName;
            var classes = Directory.CreateDirectory(Path.Combine(work.FullName, "classes")).FullName;

            // One wsimport run (CI time): sources only; javac below compiles them with the client in one go.
            var (generated, log) = await RunAsync("wsimport", ["-keep", "-Xnocompile", "-s", src, "-d", classes, "-p", "api", wsdlUrl], work.FullName);
            generated.ShouldBe(0, log);
            var api = Path.Combine(src, "api");
            foreach (var type in new[] { "POMSOAPAPI", "POMPortType", "InputAccountCreateDatabase", "Result", "Map" })
            {
                File.Exists(Path.Combine(api, type + ".java")).ShouldBeTrue($"wsimport made no {type}.java: {log}");
            }

            // A method per WSDL operation, each bound to its operation name.
            var portType = await File.ReadAllTextAsync(Path.Combine(api, "POMPortType.java"), TestContext.Current.CancellationToken);
            // wsimport names the operation only where the Java method's name differs from it (login's does not).
            var bound = OperationName().Matches(portType).Select(m => m.Groups["op"].Success ? m.Groups["op"].Value : m.Groups["method"].Value).ToList();
            bound.ShouldBe(operations, ignoreOrder: true);
            foreach (var op in operations) File.Exists(Path.Combine(api, JavaClassName("input_" + op) + ".java")).ShouldBeTrue(op);

            var classpath = classes + Path.PathSeparator + Path.Combine(JaxwsLib, "*");
            var sources = Directory.GetFiles(api, "*.java").Append(Path.Combine(JavaFolder(), "CallDatabases.java"));
            var (compiled, javacLog) = await RunAsync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", classes, .. sources], work.FullName);
            compiled.ShouldBe(0, javacLog);

            var (ran, output) = await RunAsync("java", ["-cp", classpath, "CallDatabases", wsdlUrl, client.Token], work.FullName);
            ran.ShouldBe(0, output);
            output.ShouldContain("total=2");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string folder)
    {
        if (!ScriptProcess.IsOnPath(program)) MissingDependency.Report(Need, $"{program} is not on the PATH; {Install}");
        if (!Directory.Exists(JaxwsLib)) MissingDependency.Report(Need, $"{JaxwsLib} does not exist; {Install}");
        return await ScriptProcess.RunAsync(program, arguments, folder, null,
            reason => MissingDependency.Report(Need, $"{program} could not be started ({reason}); {Install}"), timeout: TimeSpan.FromMinutes(3));
    }

    /// <summary>The class JAXB makes of an XML name: each part between underscores capitalised (input_Account_createDatabase → InputAccountCreateDatabase).</summary>
    private static string JavaClassName(string xmlName) =>
        string.Concat(xmlName.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static string JavaFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tidings.Tests", "Soap", "java");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("tests/Tidings.Tests/Soap/java was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("@WebMethod\\((?:operationName = \"(?<op>[^\"]+)\", )?action = [^)]*\\)[^;{]*?public\\s+\\w+\\s+(?<method>\\w+)\\(")]
    private static partial Regex OperationName();
}
