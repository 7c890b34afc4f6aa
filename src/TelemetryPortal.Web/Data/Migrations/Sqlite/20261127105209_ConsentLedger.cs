using System;
using Microsoft.EntityFrameworkCore.Migrations;
using TelemetryPortal.Web.Features.Consent;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConsentLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "consent_ledger",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ActorRole = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CollectionMethod = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FromLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    ToLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    PolicyVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_consent_ledger", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "consent_policies",
                columns: table => new
                {
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    FirstRecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_consent_policies", x => x.Version);
                });

            migrationBuilder.CreateIndex(
                name: "IX_consent_ledger_Action_Id",
                table: "consent_ledger",
                columns: new[] { "Action", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_consent_ledger_OccurredAt",
                table: "consent_ledger",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_consent_ledger_PreviousHash",
                table: "consent_ledger",
                column: "PreviousHash",
                unique: true);

            // Append-only: the database itself refuses UPDATE and DELETE on the ledger and the policy texts.
            ConsentLedgerSql.CreateAppendOnlyTriggers(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ConsentLedgerSql.DropAppendOnlyTriggers(migrationBuilder);

            migrationBuilder.DropTable(
                name: "consent_ledger");

            migrationBuilder.DropTable(
                name: "consent_policies");
        }
    }
}
