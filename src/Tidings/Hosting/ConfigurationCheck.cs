using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Tidings.Hosting;

/// <summary>
/// Validates every option that is validated at start (<c>ValidateOnStart</c>) before anything else runs, so that a bad
/// setting stops the server before it creates a database, a key or a token, and reports it as one line naming the
/// setting (<c>Webhooks:Dispatch:ReadBatchSize: …</c>) instead of a stack trace.
/// </summary>
internal static partial class ConfigurationCheck
{
    /// <summary>One line per bad setting; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        if (services.GetService<IStartupValidator>() is not { } validator) return [];
        try
        {
            validator.Validate();
            return [];
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            return Describe(ex, services.GetRequiredService<IConfiguration>()).Distinct(StringComparer.Ordinal).ToList();
        }
    }

    private static IEnumerable<string> Describe(Exception ex, IConfiguration configuration) => ex switch
    {
        AggregateException all => all.InnerExceptions.SelectMany(e => Describe(e, configuration)),
        OptionsValidationException invalid => invalid.Failures.SelectMany(f => Describe(invalid.OptionsType, f, configuration)),

        _ => [Conversion(ex.Message)],
    };

    /// <summary>A value the binder cannot convert: "Failed to convert configuration value 'x' at 'Section:Key' to type 'System.Int32'."</summary>
    private static string Conversion(string message) =>
        FailedConversion().Match(message) is { Success: true } m
            ? $"{m.Groups["key"].Value}: '{m.Groups["value"].Value}' is not a valid {m.Groups["type"].Value.Split('.')[^1]}"
            : OneLine(message);

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex FailedConversion();

    /// <summary>
    /// Data annotation failures name the class and property (<c>DispatchOptions</c>, <c>ReadBatchSize</c>); validated
    /// again here, each failing property is named by its setting instead. Other failures already name their setting.
    /// </summary>
    private static IEnumerable<string> Describe(Type type, string failure, IConfiguration configuration)
    {
        if (!failure.StartsWith("DataAnnotation validation failed", StringComparison.Ordinal) ||
            type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not string section)
        {
            return [OneLine(failure)];
        }

        var options = configuration.GetSection(section).Get(type) ?? Activator.CreateInstance(type)!;
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Count == 0 ? [OneLine(failure)] : results.Select(r => Setting(section, r));
    }

    private static string Setting(string section, ValidationResult result)
    {
        var message = OneLine(result.ErrorMessage ?? "is not valid");
        if (result.MemberNames.FirstOrDefault() is not { } member) return $"{section}: {message}";
        var name = $"{section}:{member}";
        if (message.StartsWith(member + ":", StringComparison.Ordinal)) message = message[(member.Length + 1)..].TrimStart();
        return message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
