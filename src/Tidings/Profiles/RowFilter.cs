using System.Text;
using Dapper;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>
/// Turns search conditions (REST's <c>fields[]</c>) into SQL over a value table. Field names match case-insensitively
/// and conditions are ANDed; conditions on unknown fields are ignored (as Copernica does). Text compares
/// case-insensitively (a condition marked case-sensitive compares <c>==</c>, <c>!=</c> and LIKE exactly; ordering
/// operators stay case-insensitive), numbers numerically; <c>=~</c>/<c>!~</c> are SQL LIKE with <c>%</c> and <c>_</c>. The special
/// fields <c>id</c>, <c>code</c> (the secret) and <c>modified</c> work without existing in the database.
/// </summary>
internal static class RowFilter
{
    public static (string Where, DynamicParameters Parameters) Build(SqlDialect dialect, FieldSet fields, IReadOnlyList<SearchCondition> conditions, CopernicaTime time, bool includeRemoved = false)
    {
        var where = new StringBuilder(includeRemoved ? "1 = 1" : "removed IS NULL");
        var parameters = new DynamicParameters();
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var p = "@c" + i;
            var clause = Clause(dialect, fields, c, p, "c" + i, parameters, time);
            if (clause is not null) where.Append(" AND ").Append(clause);
        }

        return (where.ToString(), parameters);
    }

    private static string? Clause(SqlDialect dialect, FieldSet fields, SearchCondition c, string p, string name, DynamicParameters parameters, CopernicaTime time)
    {
        var fieldName = c.Field;
        var field = fields.Find(fieldName);
        if (field is null)
        {
            switch (fieldName.ToLowerInvariant())
            {
                case "id":
                    return Numeric("id", c, p, name, parameters, integer: true, dialect);
                case "code":
                case "secret":
                    return Text("secret", c, p, name, parameters, dialect);
                case "modified":
                {
                    var ms = time.ParseLocal(c.Value) ?? throw new RequestRejectedException($"Invalid value '{c.Value}' for modified in fields parameter: expected YYYY-MM-DD hh:mm:ss");
                    if (c.Operator is "=~" or "!~") throw new RequestRejectedException("The operators =~ and !~ cannot be used on modified");
                    parameters.Add(name, ms);
                    return $"modified {SqlOperator(c.Operator)} {p}";
                }

                default:
                    return null;
            }
        }

        return FieldTypes.IsNumeric(field.Type)
            ? Numeric(field.Column, c, p, name, parameters, FieldTypes.IsInteger(field.Type), dialect)
            : Text(field.Column, c, p, name, parameters, dialect);
    }

    private static string Numeric(string column, SearchCondition c, string p, string name, DynamicParameters parameters, bool integer, SqlDialect dialect)
    {
        if (c.Operator is "=~" or "!~")
        {
            parameters.Add(name, c.Value);
            return dialect.TextLike(dialect.AsText(column), p, c.Operator == "!~");
        }

        parameters.Add(name, integer ? QueryValues.PhpInt(c.Value) : QueryValues.PhpFloat(c.Value));
        return $"{column} {SqlOperator(c.Operator)} {p}";
    }

    private static string Text(string column, SearchCondition c, string p, string name, DynamicParameters parameters, SqlDialect dialect)
    {
        var like = c.Operator is "=~" or "!~";
        if (c.CaseSensitive && (like || c.Operator is "==" or "!="))
        {
            parameters.Add(name, like ? dialect.CaseSensitiveLikePattern(c.Value) : c.Value);
            return like ? dialect.TextLikeCaseSensitive(column, p, c.Operator == "!~") : dialect.TextEqualsCaseSensitive(column, c.Operator == "!=", p);
        }

        parameters.Add(name, c.Value);
        return like
            ? dialect.TextLike(column, p, c.Operator == "!~")
            : dialect.TextCompare(column, SqlOperator(c.Operator), p);
    }

    private static string SqlOperator(string op) => op switch
    {
        "==" => "=",
        "!=" => "<>",
        _ => op,
    };

    /// <summary>
    /// ORDER BY for <c>orderby</c> (field name or id, or <c>id</c>, <c>random</c>, <c>modified</c>; unknown values
    /// fall back to id) and <c>order</c> (<c>desc</c>/<c>descending</c>, case-insensitive; anything else ascends).
    /// </summary>
    public static string OrderBy(SqlDialect dialect, string? orderByText, string? orderText, FieldSet fields)
    {
        var orderBy = (orderByText ?? "").Trim();
        var order = (orderText ?? "").Trim().ToLowerInvariant();
        var direction = order is "desc" or "descending" ? " DESC" : " ASC";
        if (orderBy.Equals("random", StringComparison.OrdinalIgnoreCase)) return "random()";
        var field = fields.Find(orderBy) ?? (long.TryParse(orderBy, out var id) ? fields.All.FirstOrDefault(f => f.Id == id) : null);
        if (field is not null)
        {
            var key = FieldTypes.IsNumeric(field.Type) ? field.Column : dialect.TextKey(field.Column);
            return key + direction + ", id" + direction;
        }

        if (orderBy.Equals("modified", StringComparison.OrdinalIgnoreCase)) return "modified" + direction + ", id" + direction;
        return "id" + direction;
    }
}
