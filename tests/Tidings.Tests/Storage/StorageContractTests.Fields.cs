using System.Text.Json.Nodes;
using Tidings.Profiles;
using Tidings.Rejections;

namespace Tidings.Tests.Storage;

public abstract partial class StorageContractTests
{
    private static FieldSpec Spec(string? name = null, string? type = null, bool? index = null, string? value = null) =>
        new(name, type, value, null, null, null, null, null, index, null);

    [Fact]
    public async Task A_field_is_a_typed_column_that_can_be_added_renamed_indexed_and_dropped()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId, ("City", "text"));
        var fields = Get<FieldStore>();
        var profileId = await NewProfileAsync(database, new JsonObject { ["City"] = "Utrecht" });

        var flagId = await fields.CreateAsync(accountId, database.Id, 0, Spec("Flag", "integer", index: true, value: "7"), Ct);
        var flag = await fields.RequireAsync(database.Id, 0, "flag", Ct);
        flag.Id.ShouldBe(flagId);
        flag.Indexed.ShouldBeTrue();
        flag.Type.ShouldBe("integer");
        (await IndexExistsAsync($"ix_{database.ProfileTable}_{flag.Column}")).ShouldBeTrue();
        (await ProfileValuesAsync(accountId, profileId)).ShouldBe(["Utrecht", "7"], "an existing profile gets the new field's default");

        await fields.UpdateAsync(flag, Spec(name: "Score", index: false), Ct);
        var score = await fields.RequireAsync(database.Id, 0, "SCORE", Ct);
        score.Name.ShouldBe("Score");
        score.Indexed.ShouldBeFalse();
        (await IndexExistsAsync($"ix_{database.ProfileTable}_{flag.Column}")).ShouldBeFalse();
        await Should.ThrowAsync<RequestRejectedException>(() => fields.RequireAsync(database.Id, 0, "Flag", Ct));

        await fields.DeleteAsync(score, Ct);
        (await fields.ListAsync(database.Id, 0, Ct)).All.Select(f => f.Name).ShouldBe(["City"]);
        (await ProfileValuesAsync(accountId, profileId)).ShouldBe(["Utrecht"]);
    }

    [Fact]
    public async Task Retyping_a_text_field_to_integer_converts_the_stored_values()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId, ("Age", "text"));
        var numeric = await NewProfileAsync(database, new JsonObject { ["Age"] = "42" });
        var words = await NewProfileAsync(database, new JsonObject { ["Age"] = "forty" });
        var leading = await NewProfileAsync(database, new JsonObject { ["Age"] = "12abc" });
        var fields = Get<FieldStore>();

        var age = await fields.RequireAsync(database.Id, 0, "Age", Ct);
        await fields.UpdateAsync(age, Spec(type: "integer", index: true), Ct);

        (await fields.RequireAsync(database.Id, 0, "Age", Ct)).Type.ShouldBe("integer");
        (await IndexExistsAsync($"ix_{database.ProfileTable}_{age.Column}")).ShouldBeTrue();
        (await ProfileValuesAsync(accountId, numeric)).ShouldBe(["42"]);
        (await ProfileValuesAsync(accountId, words)).ShouldBe(["0"]);
        (await ProfileValuesAsync(accountId, leading)).ShouldBe(["12"]);

        // Back to text keeps the numbers as their text form.
        await fields.UpdateAsync(await fields.RequireAsync(database.Id, 0, "Age", Ct), Spec(type: "text"), Ct);
        (await ProfileValuesAsync(accountId, numeric)).ShouldBe(["42"]);
    }

    [Fact]
    public async Task Field_flags_round_trip_as_booleans()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId);
        var fields = Get<FieldStore>();
        await fields.CreateAsync(accountId, database.Id, 0, new FieldSpec("Note", "text", "x", true, true, 80, 3, true, false, true), Ct);
        var note = await fields.RequireAsync(database.Id, 0, "Note", Ct);
        (note.Displayed, note.Ordered, note.Hidden, note.Indexed, note.Locked).ShouldBe((true, true, true, false, true));
        (note.Length, note.Textlines, note.DefaultValue).ShouldBe((80L, 3L, "x"));
    }

    private async Task<string[]> ProfileValuesAsync(long accountId, long profileId) =>
        (await Get<ProfileStore>().RequireAsync(accountId, profileId.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)).Row.Values;
}
