using System.Reflection;
using System.Reflection.Emit;

namespace Tidings.Tests.Architecture;

/// <summary>
/// Feature services (every type of the server whose name ends in <c>Service</c>) are what REST, SOAP and the dashboard
/// all call, so none of them may know about HTTP or REST: no <c>Microsoft.AspNetCore.Http</c> type (HttpContext,
/// HttpRequest, IResult, …) and nothing of <c>Tidings.Rest</c>, in a signature, a field or a method body. Endpoints
/// translate the request into a service call and the result into the wire shape.
/// </summary>
public sealed class FeatureServiceTests
{
    private static readonly string[] ForbiddenNamespaces = ["Microsoft.AspNetCore.Http", "Tidings.Rest"];

    [Fact]
    public void No_feature_service_depends_on_http_or_the_rest_api()
    {
        var offences = Services()
            .SelectMany(s => TypeReferences.Of(s).Where(IsForbidden).Select(t => $"{s.FullName} -> {t.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        offences.ShouldBeEmpty("feature services must not depend on HTTP or Tidings.Rest:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_check_covers_the_marketing_data_and_account_services()
    {
        // Guards the selection above: if it found no services, the rule would hold vacuously.
        Services().Select(s => s.Name).ShouldContain("ProfileService");
        Services().Select(s => s.Name).ShouldContain("DatabaseService");
        Services().Select(s => s.Name).ShouldContain("AccountService");
    }

    [Fact]
    public void The_reference_reader_sees_http_types_used_only_inside_method_bodies()
    {
        // An endpoint class uses HttpContext only inside its lambdas (closures and state machines): they must be read.
        TypeReferences.Of(typeof(Tidings.Profiles.ProfileEndpoints)).ShouldContain(t => t.FullName == "Microsoft.AspNetCore.Http.HttpContext");
        TypeReferences.Of(typeof(Tidings.Profiles.ProfileEndpoints)).ShouldContain(t => t.FullName == "Tidings.Rest.Paging");
    }

    private static IEnumerable<Type> Services() =>
        typeof(Program).Assembly.GetTypes().Where(t =>
            t.Namespace?.StartsWith("Tidings.", StringComparison.Ordinal) == true
            && !t.IsNested
            && t.Name.EndsWith("Service", StringComparison.Ordinal));

    private static bool IsForbidden(Type t) =>
        t.Namespace is { } ns && ForbiddenNamespaces.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal));
}

/// <summary>
/// Every type a type refers to, read by reflection: base type, interfaces, fields, properties, method and constructor
/// signatures, local variables, and every type, method and field token in the method bodies, of the type and of the
/// types nested in it (closures and async state machines included). Generic arguments, arrays and by-refs are unwrapped.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    public static IReadOnlySet<Type> Of(Type root)
    {
        var found = new HashSet<Type>();
        foreach (var type in WithNested(root))
        {
            Add(found, type.BaseType);
            foreach (var i in type.GetInterfaces()) Add(found, i);
            foreach (var f in type.GetFields(Everything)) Add(found, f.FieldType);
            foreach (var p in type.GetProperties(Everything)) Add(found, p.PropertyType);
            foreach (var m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                if (m is MethodInfo mi) Add(found, mi.ReturnType);
                foreach (var p in m.GetParameters()) Add(found, p.ParameterType);
                var body = m.GetMethodBody();
                if (body is null) continue;
                foreach (var local in body.LocalVariables) Add(found, local.LocalType);
                foreach (var t in InBody(m, body.GetILAsByteArray() ?? [])) Add(found, t);
            }
        }

        return found;
    }

    private static IEnumerable<Type> WithNested(Type type) =>
        new[] { type }.Concat(type.GetNestedTypes(Everything).SelectMany(WithNested));

    private static IEnumerable<Type> InBody(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short code = il[at++];
            if (code == 0xFE) code = unchecked((short)(0xFE00 | il[at++]));
            switch (OperandTypes[code])
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + 4 * BitConverter.ToInt32(il, at);
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    foreach (var t in OfToken(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments)) yield return t;
                    at += 4;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    private static IEnumerable<Type> OfToken(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            yield break;
        }

        switch (member)
        {
            case Type t:
                yield return t;
                break;
            case FieldInfo f:
                yield return f.DeclaringType!;
                yield return f.FieldType;
                break;
            case MethodBase m:
                yield return m.DeclaringType!;
                if (m is MethodInfo mi)
                {
                    yield return mi.ReturnType;
                    foreach (var a in mi.IsGenericMethod ? mi.GetGenericArguments() : []) yield return a;
                }

                foreach (var p in m.GetParameters()) yield return p.ParameterType;
                break;
        }
    }

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null) return;
        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
            return;
        }

        if (type.IsGenericParameter || !found.Add(type)) return;
        if (type.IsGenericType)
        {
            foreach (var a in type.GetGenericArguments()) Add(found, a);
        }
    }
}
