using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Tidings.Tests.Architecture;

/// <summary>
/// Which of an assembly's own types each of its types refers to, read from its metadata and IL: base type,
/// interfaces, generic constraints, fields, properties, events, method signatures, attributes, and in method bodies
/// the local variables and every type, method and field token. Reflection alone would miss the method bodies, where
/// most dependencies live. A nested type (closures and state machines included) counts as its outermost type.
/// </summary>
internal sealed class NamespaceDependencies
{
    /// <summary>One type referring to another: <c>From</c> and <c>To</c> are full type names.</summary>
    public sealed record Reference(string From, string To);

    private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    private readonly MetadataReader _reader;
    private readonly SignatureTypes _signatureTypes = new();

    private NamespaceDependencies(MetadataReader reader) => _reader = reader;

    /// <summary>Every reference between two types of the assembly whose namespaces differ.</summary>
    public static IReadOnlyList<Reference> Read(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var dependencies = new NamespaceDependencies(reader);
        var references = new List<Reference>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var from = dependencies.Outermost(handle);
            foreach (var to in dependencies.ReferencedBy(handle, pe).Select(dependencies.Outermost).Distinct())
            {
                if (dependencies.Namespace(from) != dependencies.Namespace(to))
                    references.Add(new Reference(dependencies.FullName(from), dependencies.FullName(to)));
            }
        }
        return references.Distinct().ToList();
    }

    /// <summary>The namespace of a full type name as <see cref="Read"/> gives it.</summary>
    public static string NamespaceOf(string fullName) =>
        fullName.LastIndexOf('.') is var dot and >= 0 ? fullName[..dot] : "";

    private IEnumerable<TypeDefinitionHandle> ReferencedBy(TypeDefinitionHandle handle, PEReader pe)
    {
        var type = _reader.GetTypeDefinition(handle);
        var found = new List<TypeDefinitionHandle>();
        found.AddRange(OfEntity(type.BaseType));
        foreach (var i in type.GetInterfaceImplementations())
            found.AddRange(OfEntity(_reader.GetInterfaceImplementation(i).Interface));
        found.AddRange(OfGenericParameters(type.GetGenericParameters()));
        found.AddRange(OfAttributes(type.GetCustomAttributes()));
        foreach (var f in type.GetFields())
        {
            var field = _reader.GetFieldDefinition(f);
            found.AddRange(field.DecodeSignature(_signatureTypes, null));
            found.AddRange(OfAttributes(field.GetCustomAttributes()));
        }
        foreach (var p in type.GetProperties())
        {
            var property = _reader.GetPropertyDefinition(p);
            var signature = property.DecodeSignature(_signatureTypes, null);
            found.AddRange(signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(t => t)));
            found.AddRange(OfAttributes(property.GetCustomAttributes()));
        }
        foreach (var e in type.GetEvents())
            found.AddRange(OfEntity(_reader.GetEventDefinition(e).Type));
        foreach (var m in type.GetMethods())
        {
            var method = _reader.GetMethodDefinition(m);
            var signature = method.DecodeSignature(_signatureTypes, null);
            found.AddRange(signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(t => t)));
            found.AddRange(OfGenericParameters(method.GetGenericParameters()));
            found.AddRange(OfAttributes(method.GetCustomAttributes()));
            foreach (var parameter in method.GetParameters())
                found.AddRange(OfAttributes(_reader.GetParameter(parameter).GetCustomAttributes()));
            if (method.RelativeVirtualAddress != 0)
                found.AddRange(OfBody(pe.GetMethodBody(method.RelativeVirtualAddress)));
        }
        return found;
    }

    private IEnumerable<TypeDefinitionHandle> OfBody(MethodBodyBlock body)
    {
        if (!body.LocalSignature.IsNil)
        {
            foreach (var local in _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_signatureTypes, null))
            {
                foreach (var t in local)
                    yield return t;
            }
        }
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            ushort code = il.ReadByte();
            if (code == 0xFE)
                code = (ushort)(0xFE00 | il.ReadByte());
            switch (OperandTypes[code])
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    foreach (var t in OfEntity(MetadataTokens.EntityHandle(il.ReadInt32())))
                        yield return t;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    /// <summary>The assembly's own types a type, member or member reference names.</summary>
    private ImmutableArray<TypeDefinitionHandle> OfEntity(EntityHandle handle)
    {
        if (handle.IsNil)
            return [];
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return [(TypeDefinitionHandle)handle];
            case HandleKind.TypeSpecification:
                return _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_signatureTypes, null);
            case HandleKind.FieldDefinition:
                return [_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()];
            case HandleKind.MethodDefinition:
                return [_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()];
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return OfEntity(spec.Method).AddRange(spec.DecodeSignature(_signatureTypes, null).SelectMany(t => t));
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                var parent = OfEntity(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Field)
                    return parent.AddRange(member.DecodeFieldSignature(_signatureTypes, null));
                var signature = member.DecodeMethodSignature(_signatureTypes, null);
                return parent.AddRange(signature.ReturnType).AddRange(signature.ParameterTypes.SelectMany(t => t));
            default:
                return [];
        }
    }

    private IEnumerable<TypeDefinitionHandle> OfGenericParameters(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(p => _reader.GetGenericParameter(p).GetConstraints())
            .SelectMany(c => OfEntity(_reader.GetGenericParameterConstraint(c).Type));

    private IEnumerable<TypeDefinitionHandle> OfAttributes(CustomAttributeHandleCollection attributes) =>
        attributes.SelectMany(a => OfEntity(_reader.GetCustomAttribute(a).Constructor));

    private TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
    {
        while (_reader.GetTypeDefinition(handle).GetDeclaringType() is { IsNil: false } outer)
            handle = outer;
        return handle;
    }

    private string Namespace(TypeDefinitionHandle handle) =>
        _reader.GetString(_reader.GetTypeDefinition(handle).Namespace);

    private string FullName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var ns = _reader.GetString(type.Namespace);
        var name = _reader.GetString(type.Name);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Decodes a signature into the assembly's own types it mentions; other assemblies' types are dropped.</summary>
    private sealed class SignatureTypes : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(t => t));
        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(t => t));
        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => [];
        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => [];
        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) => unmodifiedType;
        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
