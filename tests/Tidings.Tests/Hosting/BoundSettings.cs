using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tidings.Tests.Hosting;

/// <summary>
/// One setting of an option class: its full key (<c>Webhooks:Dispatch:ReadBatchSize</c>), the properties from the
/// option object to its value, and whether it is a list or map whose entries go below the key
/// (<c>Webhooks:Delivery:Hosts:&lt;name&gt;</c>, <c>Tracking:TrustedProxies:0</c>).
/// </summary>
internal sealed record BoundSetting(string Key, Type OptionsType, IReadOnlyList<PropertyInfo> Path, bool IsCollection)
{
    public Type ValueType => Nullable.GetUnderlyingType(Path[^1].PropertyType) ?? Path[^1].PropertyType;

    public object? ValueIn(object options) => Path.Aggregate<PropertyInfo, object?>(options, (o, p) => o is null ? null : p.GetValue(o));
}

/// <summary>
/// The option classes the server binds from configuration and their settings, read from the server's own service
/// registrations: every <c>BindConfiguration</c> registers an <see cref="IOptionsChangeTokenSource{TOptions}"/> (which
/// names the type) and a <see cref="ConfigureNamedOptions{TOptions, TDep}"/> on <see cref="IConfiguration"/> (which
/// binds it). The section is the option class's <c>Section</c> constant, as <c>ConfigurationCheck</c> reads it;
/// <see cref="SectionProblems"/> proves by binding that it is the section the server really reads.
/// </summary>
internal sealed class BoundSettings(IServiceProvider services, IReadOnlyList<Type> optionTypes)
{
    public IReadOnlyList<Type> OptionTypes { get; } = optionTypes;

    public IReadOnlyList<BoundSetting> All { get; } = optionTypes.SelectMany(t => Section(t) is { } s ? Of(t, s, []) : []).ToList();

    public static BoundSettings From(IServiceProvider services, IServiceCollection registrations) => new(services, registrations
        .Select(d => d.ServiceType)
        .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
        .Select(t => t.GetGenericArguments()[0])
        .Where(t => t.Assembly == typeof(Program).Assembly)
        .Distinct()
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList());

    /// <summary>The option class's <c>Section</c> constant (public or not: the class may be internal).</summary>
    public static string? Section(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) is { IsLiteral: true } field
            ? field.GetRawConstantValue() as string
            : null;

    /// <summary>A new option object bound from <paramref name="configuration"/> the way the server binds it, or null if it is bound otherwise.</summary>
    public object? Bind(Type type, IConfiguration configuration)
    {
        if (BindAction(type) is not { } bind) return null;
        var options = Activator.CreateInstance(type, nonPublic: true)!;
        bind.DynamicInvoke(options, configuration);
        return options;
    }

    /// <summary>
    /// Every option class whose settings do not bind at <c>Section:Property</c>: each plain value (number, text, flag,
    /// enum, <see cref="TimeSpan"/>) is given a value other than its default under that key, and must come out as it.
    /// </summary>
    public IEnumerable<string> SectionProblems()
    {
        foreach (var type in OptionTypes)
        {
            if (Section(type) is null)
            {
                yield return $"{type.Name} is bound from configuration but has no Section constant naming its section.";
                continue;
            }

            var fresh = Activator.CreateInstance(type, nonPublic: true)!;
            var probes = All.Where(s => s.OptionsType == type && !s.IsCollection)
                .Select(s => (Setting: s, Text: Probe(s.ValueType, s.ValueIn(fresh))))
                .Where(p => p.Text is not null)
                .ToList();
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(probes.Select(p => KeyValuePair.Create(p.Setting.Key, p.Text)))
                .Build();
            if (Bind(type, configuration) is not { } bound)
            {
                yield return $"{type.Name} is not bound with BindConfiguration(Section), so this check cannot read its settings.";
                continue;
            }

            foreach (var (setting, text) in probes)
            {
                var expected = Convert(setting.ValueType, text!);
                if (!Equals(setting.ValueIn(bound), expected)) yield return $"{setting.Key} does not bind {setting.OptionsType.Name}.{setting.Path[^1].Name}.";
            }
        }
    }

    /// <summary>Converts a configuration value the way the binder does.</summary>
    public static object? Convert(Type type, string text) =>
        type == typeof(string) ? text : TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);

    public static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private Delegate? BindAction(Type type)
    {
        foreach (var configure in services.GetServices(typeof(IConfigureOptions<>).MakeGenericType(type)))
        {
            var implementation = configure!.GetType();
            if (implementation.IsGenericType && implementation.GetGenericTypeDefinition() == typeof(ConfigureNamedOptions<,>)
                && implementation.GetGenericArguments()[1] == typeof(IConfiguration))
            {
                return implementation.GetProperty(nameof(ConfigureNamedOptions<object, object>.Action))!.GetValue(configure) as Delegate;
            }
        }

        return null;
    }

    /// <summary>
    /// The settings of an option type: what the binder fills (public getter; public setter unless a collection or a nested
    /// option object, whose settings are below its key).
    /// </summary>
    private static IEnumerable<BoundSetting> Of(Type type, string prefix, IReadOnlyList<PropertyInfo> path, Type? owner = null)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true }) continue;
            var key = prefix + ":" + (property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name);
            var valueType = property.PropertyType;
            if (valueType.IsClass && valueType.Assembly == typeof(Program).Assembly && !IsCollection(valueType))
            {
                foreach (var nested in Of(valueType, key, [.. path, property], owner ?? type)) yield return nested;
                continue;
            }

            if (IsCollection(valueType) || property.SetMethod is { IsPublic: true })
            {
                yield return new BoundSetting(key, owner ?? type, [.. path, property], IsCollection(valueType));
            }
        }
    }

    /// <summary>A configuration value other than <paramref name="current"/>, or null for a type this check does not probe.</summary>
    private static string? Probe(Type type, object? current)
    {
        if (type == typeof(bool)) return current is true ? "false" : "true";
        if (type == typeof(string)) return "probe-" + Guid.NewGuid().ToString("N");
        if (type == typeof(TimeSpan)) return ((TimeSpan)(current ?? TimeSpan.Zero) + TimeSpan.FromSeconds(7)).ToString("c", CultureInfo.InvariantCulture);
        if (type.IsEnum) return Enum.GetNames(type).FirstOrDefault(n => !Equals(Enum.Parse(type, n), current));
        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return (System.Convert.ToDouble(current, CultureInfo.InvariantCulture) + 7).ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }
}
