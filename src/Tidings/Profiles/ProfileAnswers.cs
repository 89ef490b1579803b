using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>
/// A profile as Copernica answers it. With <c>dataonly</c> the keys that are not data (<c>database</c>,
/// <c>secret</c>, <c>created</c>, <c>removed</c>) are left out: they are null then, and null keys are not written.
/// </summary>
internal sealed record ProfileAnswer(
    [property: JsonPropertyName("ID")] string Id,
    FieldValues Fields,
    IReadOnlyList<string> Interests,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Database,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Created,
    string Modified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Removal? Removed)
{
    /// <summary>One row of a profile list; <paramref name="interests"/> are its interest names (null: none).</summary>
    public static ProfileAnswer From(ValueTable table, ValueRow row, JsonArray? interests, long databaseId, bool dataOnly, CopernicaTime time) =>
        From(table, row, interests?.Select(i => i!.GetValue<string>()).ToList() ?? [], databaseId, dataOnly, time);

    /// <summary>One profile read on its own, with the names of the interests it has in the database's order.</summary>
    public static ProfileAnswer From(ProfileView p, CopernicaTime time) =>
        From(p.Table, p.Row, p.AllInterests.Where(i => p.Interests.Contains(i.Id)).Select(i => i.Name).ToList(), p.Database.Id, dataOnly: false, time);

    private static ProfileAnswer From(ValueTable table, ValueRow row, IReadOnlyList<string> interests, long databaseId, bool dataOnly, CopernicaTime time) => new(
        RestIds.Text(row.Id),
        FieldValues.Of(table, row),
        interests,
        dataOnly ? null : RestIds.Text(databaseId),
        dataOnly ? null : row.Secret,
        dataOnly ? null : time.FormatMs(row.Created),
        time.FormatMs(row.Modified),
        dataOnly ? null : Removal.Of(row, time));
}

/// <summary>A subprofile as Copernica answers it; <c>dataonly</c> leaves out <c>secret</c>, <c>created</c> and <c>removed</c>.</summary>
internal sealed record SubprofileAnswer(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret,
    FieldValues Fields,
    string Profile,
    string Collection,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Created,
    string Modified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Removal? Removed)
{
    public static SubprofileAnswer From(ValueTable table, ValueRow row, long collectionId, bool dataOnly, CopernicaTime time) => new(
        RestIds.Text(row.Id),
        dataOnly ? null : row.Secret,
        FieldValues.Of(table, row),
        RestIds.Text(row.ProfileId),
        RestIds.Text(collectionId),
        dataOnly ? null : time.FormatMs(row.Created),
        time.FormatMs(row.Modified),
        dataOnly ? null : Removal.Of(row, time));
}
