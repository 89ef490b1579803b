using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.Profiles;

/// <summary>One profile or subprofile as stored: fixed columns and the field values (text form, in field order).</summary>
internal sealed record ValueRow(long Id, long ProfileId, string Secret, long Created, long Modified, long? Removed, string[] Values)
{
    public bool IsRemoved => Removed is not null;
}

/// <summary>
/// Reading and writing the rows of a database's profile table or a collection's subprofile table: fixed columns
/// (<c>id, secret, created, modified, removed</c>, plus <c>profile_id</c> for subprofiles) and one column per field.
/// </summary>
internal sealed class ValueTable(string table, FieldSet fields, bool hasProfileColumn)
{
    public string Name => table;

    public FieldSet Fields => fields;

    private string SelectList => "id, secret, created, modified, removed" + (hasProfileColumn ? ", profile_id" : "")
        + string.Concat(fields.All.Select(f => ", " + f.Column));

    public async Task<List<ValueRow>> ReadAsync(DbConnection c, DbTransaction? tx, string where, DynamicParameters parameters, string orderBy = "id", long? take = null, long? skip = null)
    {
        var sql = new StringBuilder($"SELECT {SelectList} FROM {table} WHERE {where} ORDER BY {orderBy}");
        if (take is not null) sql.Append(" LIMIT ").Append(take.Value).Append(" OFFSET ").Append(skip ?? 0);
        await using var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql.ToString();
        AddParameters(command, parameters);
        var rows = new List<ValueRow>();
        await using var reader = await command.ExecuteReaderAsync();
        var first = hasProfileColumn ? 6 : 5;
        while (await reader.ReadAsync())
        {
            var values = new string[fields.All.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = FieldTypes.Output(reader.IsDBNull(first + i) ? null : reader.GetValue(first + i));
            }

            rows.Add(new ValueRow(
                reader.GetInt64(0), hasProfileColumn ? reader.GetInt64(5) : reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), values));
        }

        return rows;
    }

    public async Task<ValueRow?> FindAsync(DbConnection c, DbTransaction? tx, long id)
    {
        var p = new DynamicParameters();
        p.Add("rowId", id);
        return (await ReadAsync(c, tx, "id = @rowId", p)).FirstOrDefault();
    }

    public async Task<long> CountAsync(DbConnection c, DbTransaction? tx, string where, DynamicParameters parameters) =>
        await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {where}", parameters, tx);

    public Task InsertAsync(WriteContext w, ValueRow row)
    {
        var columns = new StringBuilder("id, secret, created, modified");
        var values = new StringBuilder("@id, @secret, @created, @modified");
        var p = new DynamicParameters();
        p.Add("id", row.Id);
        p.Add("secret", row.Secret);
        p.Add("created", row.Created);
        p.Add("modified", row.Modified);
        if (hasProfileColumn)
        {
            columns.Append(", profile_id");
            values.Append(", @profileId");
            p.Add("profileId", row.ProfileId);
        }

        for (var i = 0; i < fields.All.Count; i++)
        {
            var f = fields.All[i];
            columns.Append(", ").Append(f.Column);
            values.Append(", @v").Append(i);
            p.Add("v" + i, FieldTypes.ToColumnValue(f.Type, row.Values[i]));
        }

        return w.Connection.ExecuteAsync($"INSERT INTO {table} ({columns}) VALUES ({values})", p, w.Transaction);
    }

    /// <summary>Writes the values and fixed columns of <paramref name="row"/> over the stored row with its id.</summary>
    public Task UpdateAsync(WriteContext w, ValueRow row)
    {
        var set = new StringBuilder("secret = @secret, modified = @modified, removed = @removed");
        var p = new DynamicParameters();
        p.Add("id", row.Id);
        p.Add("secret", row.Secret);
        p.Add("modified", row.Modified);
        p.Add("removed", row.Removed);
        for (var i = 0; i < fields.All.Count; i++)
        {
            var f = fields.All[i];
            set.Append(", ").Append(f.Column).Append(" = @v").Append(i);
            p.Add("v" + i, FieldTypes.ToColumnValue(f.Type, row.Values[i]));
        }

        return w.Connection.ExecuteAsync($"UPDATE {table} SET {set} WHERE id = @id", p, w.Transaction);
    }

    /// <summary>The values a new row starts with: every field's default.</summary>
    public string[] Defaults(CopernicaTime time) => fields.All.Select(f => FieldTypes.DefaultFor(f, time)).ToArray();

    /// <summary>The values every field has in a removed row.</summary>
    public string[] Cleared() => fields.All.Select(f => FieldTypes.EmptyValue(f.Type)).ToArray();

    /// <summary>
    /// Applies client input (field name → value, names case-insensitive, later duplicates win, unknown names ignored)
    /// to <paramref name="current"/>. Returns the new values and the normalised values that were given.
    /// </summary>
    public (string[] Values, JsonObject Parameters) Apply(string[] current, JsonObject? input, CopernicaTime time)
    {
        var next = (string[])current.Clone();
        var parameters = new JsonObject();
        if (input is null) return (next, parameters);
        foreach (var (name, value) in input)
        {
            var field = fields.Find(name.Trim());
            if (field is null) continue;
            var index = IndexOf(field);
            next[index] = FieldTypes.Normalize(field, value, time);
            parameters[field.Name] = next[index];
        }

        return (next, parameters);
    }

    public int IndexOf(FieldDefinition field)
    {
        for (var i = 0; i < fields.All.Count; i++)
        {
            if (fields.All[i].Id == field.Id) return i;
        }

        return -1;
    }

    /// <summary>The values as a name → value object (what clients see as <c>fields</c>).</summary>
    public JsonObject ToJson(string[] values, bool cleared = false)
    {
        var o = new JsonObject();
        for (var i = 0; i < fields.All.Count; i++) o[fields.All[i].Name] = cleared ? "" : values[i];
        return o;
    }

    public static void AddParameters(DbCommand command, DynamicParameters parameters)
    {
        foreach (var name in parameters.ParameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = parameters.Get<object?>(name) ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}
