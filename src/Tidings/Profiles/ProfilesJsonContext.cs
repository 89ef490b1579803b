using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>Source-generated contracts of the marketing-data answers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DatabaseAnswer))]
[JsonSerializable(typeof(Page<DatabaseAnswer>))]
[JsonSerializable(typeof(CollectionAnswer))]
[JsonSerializable(typeof(Page<CollectionAnswer>))]
[JsonSerializable(typeof(Page<FieldAnswer>))]
[JsonSerializable(typeof(Page<InterestAnswer>))]
[JsonSerializable(typeof(IReadOnlyList<InterestAnswer>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(UnsubscribeAnswer))]
[JsonSerializable(typeof(ProfileAnswer))]
[JsonSerializable(typeof(Page<ProfileAnswer>))]
[JsonSerializable(typeof(SubprofileAnswer))]
[JsonSerializable(typeof(Page<SubprofileAnswer>))]
[JsonSerializable(typeof(FieldValues))]
internal sealed partial class ProfilesJsonContext : JsonSerializerContext;
