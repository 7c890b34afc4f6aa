using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TelemetryPortal.Web.Data;

/// <summary>
/// On PostgreSQL, the number of payloads kept exactly by the database itself, so that the sent log's unfiltered total is
/// a sum of 16 rows instead of counting every entry of an index (a million rows take 30 to 60 ms to count there, where
/// SQLite takes a few). Statement triggers add what each INSERT (or COPY) adds and subtract what each DELETE removes, in
/// the same transaction, into one of 16 rows chosen by the connection's backend, so instances capturing at the same time
/// seldom wait for one another's row.
/// </summary>
public static class PostgresPayloadCounts
{
    /// <summary>Creates the table, counts what is there, and adds the triggers (a migration's Up).</summary>
    public const string CreateSql = """
        CREATE TABLE payload_counts (shard integer PRIMARY KEY, n bigint NOT NULL);
        INSERT INTO payload_counts (shard, n) SELECT g, 0 FROM generate_series(0, 15) AS g;
        UPDATE payload_counts SET n = (SELECT count(*) FROM payloads) WHERE shard = 0;
        CREATE FUNCTION portal_count_payloads() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                UPDATE payload_counts SET n = n + (SELECT count(*) FROM added) WHERE shard = pg_backend_pid() % 16;
            ELSE
                UPDATE payload_counts SET n = n - (SELECT count(*) FROM removed) WHERE shard = pg_backend_pid() % 16;
            END IF;
            RETURN NULL;
        END;
        $body$;
        CREATE TRIGGER payloads_count_insert AFTER INSERT ON payloads REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION portal_count_payloads();
        CREATE TRIGGER payloads_count_delete AFTER DELETE ON payloads REFERENCING OLD TABLE AS removed
            FOR EACH STATEMENT EXECUTE FUNCTION portal_count_payloads();
        """;

    /// <summary>Removes them (a migration's Down).</summary>
    public const string DropSql = """
        DROP TRIGGER IF EXISTS payloads_count_insert ON payloads;
        DROP TRIGGER IF EXISTS payloads_count_delete ON payloads;
        DROP FUNCTION IF EXISTS portal_count_payloads();
        DROP TABLE IF EXISTS payload_counts;
        """;

    public static void Create(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(CreateSql);
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(DropSql);
    }

    /// <summary>How many payloads there are, as of this transaction.</summary>
    public static async Task<int> TotalAsync(PortalDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var total = await db.Database.SqlQuery<long>($"SELECT coalesce(sum(n), 0)::bigint AS \"Value\" FROM payload_counts").SingleAsync(ct);
        return checked((int)total);
    }
}
