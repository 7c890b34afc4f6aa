using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PayloadBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Blob",
                table: "payload_contents",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "payload_blocks",
                columns: table => new
                {
                    Blob = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Seq = table.Column<int>(type: "INTEGER", nullable: false),
                    Length = table.Column<int>(type: "INTEGER", nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WrittenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_payload_blocks", x => new { x.Blob, x.Seq });
                });

            migrationBuilder.CreateIndex(
                name: "IX_payload_contents_Blob",
                table: "payload_contents",
                column: "Blob");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payload_blocks");

            migrationBuilder.DropIndex(
                name: "IX_payload_contents_Blob",
                table: "payload_contents");

            migrationBuilder.DropColumn(
                name: "Blob",
                table: "payload_contents");
        }
    }
}
