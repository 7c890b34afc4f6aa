using Microsoft.EntityFrameworkCore.Migrations;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// The SQL that makes the consent tables append-only: SQLite triggers that abort any UPDATE or
/// DELETE. Migrations call <see cref="CreateAppendOnlyTriggers"/>, so a regenerated migration can
/// call it again.
/// </summary>
public static class ConsentLedgerSql
{
    /// <summary>The ledger's table.</summary>
    public const string LedgerTable = "consent_ledger";

    /// <summary>The table of policy texts shown with decisions.</summary>
    public const string PolicyTable = "consent_policies";

    private static readonly string[] Operations = ["UPDATE", "DELETE"];

    /// <summary>The tables the triggers guard.</summary>
    public static IReadOnlyList<string> AppendOnlyTables { get; } = [LedgerTable, PolicyTable];

    /// <summary>The statements that create the triggers (one per table and operation).</summary>
    public static IEnumerable<string> CreateStatements() => Triggers.Select(t => t.CreateSql);

    /// <summary>Each trigger by name with the statement that creates it.</summary>
    public static IReadOnlyList<AppendOnlyTrigger> Triggers { get; } =
        [.. from table in AppendOnlyTables
            from operation in Operations
            select new AppendOnlyTrigger(TriggerName(table, operation), $"""
                CREATE TRIGGER "{TriggerName(table, operation)}" BEFORE {operation} ON "{table}"
                BEGIN
                    SELECT RAISE(ABORT, '{table} is append-only: {operation} is not allowed');
                END;
                """)];

    /// <summary>
    /// The statement with runs of white space made one space and no final semicolon, to compare a trigger's
    /// statement as SQLite keeps it (<c>sqlite_master.sql</c>) with the one that creates it.
    /// </summary>
    public static string Normalize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd(';').TrimEnd();
    }

    /// <summary>The statements that drop them.</summary>
    public static IEnumerable<string> DropStatements() =>
        from table in AppendOnlyTables
        from operation in Operations
        select $"""DROP TRIGGER IF EXISTS "{TriggerName(table, operation)}";""";

    public static void CreateAppendOnlyTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var statement in CreateStatements())
        {
            migrationBuilder.Sql(statement);
        }
    }

    public static void DropAppendOnlyTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var statement in DropStatements())
        {
            migrationBuilder.Sql(statement);
        }
    }

    /// <summary>E.g. <c>consent_ledger_no_update</c>.</summary>
    public static string TriggerName(string table, string operation) => $"{table}_no_{operation.ToLowerInvariant()}";
}

/// <summary>One append-only trigger: its name and the statement that creates it.</summary>
public sealed record AppendOnlyTrigger(string Name, string CreateSql);
