using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeltaContents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite adds a column with its foreign key in place; EF's AddForeignKey would rebuild the
            // whole table (a copy of every stored payload) outside the migration's transaction.
            migrationBuilder.Sql(
                "ALTER TABLE \"payload_contents\" ADD COLUMN \"BaseSha256\" TEXT NULL "
                + "CONSTRAINT \"FK_payload_contents_payload_contents_BaseSha256\" REFERENCES \"payload_contents\" (\"Sha256\") ON DELETE RESTRICT;");

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
