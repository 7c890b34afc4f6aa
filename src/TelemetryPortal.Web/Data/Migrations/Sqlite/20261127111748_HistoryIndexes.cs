using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HistoryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_payloads_Kind_CapturedAt",
                table: "payloads",
                columns: new[] { "Kind", "CapturedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_payloads_Kind_Level_Status_CapturedAt",
                table: "payloads",
                columns: new[] { "Kind", "Level", "Status", "CapturedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_payloads_SizeBytes",
                table: "payloads",
                column: "SizeBytes");

            migrationBuilder.CreateIndex(
                name: "IX_payloads_Status_CapturedAt",
                table: "payloads",
                columns: new[] { "Status", "CapturedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_payloads_Kind_CapturedAt",
                table: "payloads");

            migrationBuilder.DropIndex(
                name: "IX_payloads_Kind_Level_Status_CapturedAt",
                table: "payloads");

            migrationBuilder.DropIndex(
                name: "IX_payloads_SizeBytes",
                table: "payloads");

            migrationBuilder.DropIndex(
                name: "IX_payloads_Status_CapturedAt",
                table: "payloads");
        }
    }
}
