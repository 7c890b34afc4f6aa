using Microsoft.EntityFrameworkCore.Migrations;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// The SQL that makes the consent tables append-only: triggers that abort any UPDATE or DELETE (on PostgreSQL also
/// TRUNCATE), written for each provider. Migrations call <see cref="CreateAppendOnlyTriggers"/>, which writes the
/// statements of the provider the migration runs on, so a regenerated migration can call it again.
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

    // MigrationBuilder.ActiveProvider on PostgreSQL.
    private const string PostgresProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>The PostgreSQL function every append-only trigger calls.</summary>
    public const string PostgresFunction = "portal_append_only";

    /// <summary>The PostgreSQL function's body (as <c>pg_proc.prosrc</c> keeps it), compared at start.</summary>
    public const string PostgresFunctionBody = """
        BEGIN
            RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
        END;
        """;

    /// <summary>Creates (or puts back) the PostgreSQL function.</summary>
    public static string PostgresFunctionSql { get; } = $"""
        CREATE OR REPLACE FUNCTION "{PostgresFunction}"() RETURNS trigger LANGUAGE plpgsql AS $body$
        {PostgresFunctionBody}
        $body$;
        """;

    private static readonly string[] PostgresOperations = ["UPDATE", "DELETE", "TRUNCATE"];

    /// <summary>Each PostgreSQL trigger by name with the statement that creates it (the function first).</summary>
    public static IReadOnlyList<AppendOnlyTrigger> PostgresTriggers { get; } =
        [.. from table in AppendOnlyTables
            from operation in PostgresOperations
            select new AppendOnlyTrigger(TriggerName(table, operation), $"""
                CREATE TRIGGER "{TriggerName(table, operation)}" BEFORE {operation} ON "{table}"
                FOR EACH {(operation == "TRUNCATE" ? "STATEMENT" : "ROW")} EXECUTE FUNCTION "{PostgresFunction}"();
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
        if (migrationBuilder.ActiveProvider == PostgresProviderName)
        {
            migrationBuilder.Sql(PostgresFunctionSql);
            foreach (var trigger in PostgresTriggers)
            {
                migrationBuilder.Sql(trigger.CreateSql);
            }

            return;
        }

        foreach (var statement in CreateStatements())
        {
            migrationBuilder.Sql(statement);
        }
    }

    public static void DropAppendOnlyTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.ActiveProvider == PostgresProviderName)
        {
            foreach (var trigger in PostgresTriggers)
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{trigger.Name}" ON "{TableOf(trigger.Name)}";""");
            }

            migrationBuilder.Sql($"""DROP FUNCTION IF EXISTS "{PostgresFunction}"();""");
            return;
        }

        foreach (var statement in DropStatements())
        {
            migrationBuilder.Sql(statement);
        }
    }

    /// <summary>The table a trigger named by <see cref="TriggerName"/> guards.</summary>
    public static string TableOf(string triggerName) =>
        AppendOnlyTables.Single(t => triggerName.StartsWith(t + "_no_", StringComparison.Ordinal));

    /// <summary>E.g. <c>consent_ledger_no_update</c>.</summary>
    public static string TriggerName(string table, string operation) => $"{table}_no_{operation.ToLowerInvariant()}";
}

/// <summary>One append-only trigger: its name and the statement that creates it.</summary>
public sealed record AppendOnlyTrigger(string Name, string CreateSql);
