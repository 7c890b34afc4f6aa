using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PayloadCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Not in the model: a count the database keeps by itself for the sent log's unfiltered total.
            PostgresPayloadCounts.Create(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            PostgresPayloadCounts.Drop(migrationBuilder);
        }
    }
}
