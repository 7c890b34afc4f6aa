using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeltaContents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BaseSha256",
                table: "payload_contents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Encoding",
                table: "payload_contents",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Every content stored before deltas existed is whole.
                defaultValue: "Brotli");

            migrationBuilder.CreateIndex(
                name: "IX_payload_contents_BaseSha256",
                table: "payload_contents",
                column: "BaseSha256");

            migrationBuilder.AddForeignKey(
                name: "FK_payload_contents_payload_contents_BaseSha256",
                table: "payload_contents",
                column: "BaseSha256",
                principalTable: "payload_contents",
                principalColumn: "Sha256",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_payload_contents_payload_contents_BaseSha256",
                table: "payload_contents");

            migrationBuilder.DropIndex(
                name: "IX_payload_contents_BaseSha256",
                table: "payload_contents");

            migrationBuilder.DropColumn(
                name: "BaseSha256",
                table: "payload_contents");

            migrationBuilder.DropColumn(
                name: "Encoding",
                table: "payload_contents");
        }
    }
}
