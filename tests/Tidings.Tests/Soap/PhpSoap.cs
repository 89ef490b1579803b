using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using System.Xml.Schema;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>One call for PHP's SoapClient: the method, its input structure (as PHP arrays) and the token to add, if any.</summary>
public sealed record PhpSoapCall(string Method, object? Params = null, string? Token = null);

/// <summary>What PHP decoded (<see cref="Result"/>, or the fault) and the raw response it received.</summary>
public sealed record PhpSoapAnswer(JsonNode? Result, string? FaultCode, string? FaultString, string? Response)
{
    public bool IsFault => FaultCode is not null;

    /// <summary>The decoded result; fails with the fault when there was one.</summary>
    public JsonNode Ok => IsFault ? throw new ShouldAssertException($"{FaultCode}: {FaultString}") : Result ?? new JsonObject();

    /// <summary>The response's <c>result</c> element, checked against the WSDL's <c>Result</c> type.</summary>
    public XElement ValidResult(XmlSchemaSet schemas) => SoapResultSchema.ResultOf(Response ?? throw new ShouldAssertException("no response"), schemas);
}

/// <summary>
/// Runs calls through PHP's own <c>SoapClient</c> (Debian php-cli and php-soap) given only the WSDL URL, all on one
/// client so that cookies carry over. Fails under CI when PHP or its soap extension is missing, skips elsewhere.
/// </summary>
public static class PhpSoap
{
    private const string Need = "run PHP's SoapClient";
    private const string Install = "install the Debian packages php-cli and php-soap";
    private static bool _checked;

    public static async Task<IReadOnlyList<PhpSoapAnswer>> RunAsync(Uri baseAddress, params PhpSoapCall[] calls)
    {
        await RequireSoapExtensionAsync();
        var input = JsonSerializer.Serialize(new
        {
            wsdl = new Uri(baseAddress, "/?SOAPAPI=WSDL").ToString(),
            calls = calls.Select(c => new { method = c.Method, @params = c.Params ?? new { }, token = c.Token }),
        });
        var (exitCode, output) = await ScriptProcess.RunAsync("php", ["soap-calls.php"], Folder(), input,
            reason => MissingDependency.Report(Need, $"php could not be started ({reason}); {Install}"), timeout: TimeSpan.FromMinutes(1));
        exitCode.ShouldBe(0, output);
        var answers = JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsArray();
        return answers.Select(a => new PhpSoapAnswer(
            a!["result"]?.DeepClone(), a["faultcode"]?.ToString(), a["faultstring"]?.ToString(), a["response"]?.ToString())).ToList();
    }

    /// <summary>One call, its answer.</summary>
    public static async Task<PhpSoapAnswer> CallAsync(Uri baseAddress, string token, string method, object? parameters = null) =>
        (await RunAsync(baseAddress, new PhpSoapCall(method, parameters, token)))[0];

    public static async Task RequireSoapExtensionAsync()
    {
        if (_checked) return;
        var (_, modules) = await ScriptProcess.RunAsync("php", ["-m"], Folder(), null,
            reason => MissingDependency.Report(Need, $"php could not be started ({reason}); {Install}"));
        if (!modules.Split('\n').Any(m => m.Trim().Equals("soap", StringComparison.OrdinalIgnoreCase)))
        {
            MissingDependency.Report(Need, "PHP has no soap extension; install the Debian package php-soap");
        }

        _checked = true;
    }

    public static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tidings.Tests", "Soap", "php");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("tests/Tidings.Tests/Soap/php was not found above " + AppContext.BaseDirectory);
    }
}
