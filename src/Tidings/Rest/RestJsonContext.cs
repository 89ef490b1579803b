using System.Text.Json.Serialization;

namespace Tidings.Rest;

/// <summary>Source-generated contracts of the answers shared by every feature.</summary>
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
