using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TelemetryPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LicenseDesk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Delivery",
                table: "license_requests",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<int>(
                name: "DeliveryAttempts",
                table: "license_requests",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DeliveryError",
                table: "license_requests",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeskBody",
                table: "license_requests",
                type: "TEXT",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DeskId",
                table: "license_requests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DeskRequestId",
                table: "license_requests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeskSecret",
                table: "license_requests",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeskUrl",
                table: "license_requests",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastDeskContactAt",
                table: "license_requests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextDeliveryAt",
                table: "license_requests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretHash",
                table: "license_requests",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "license_requests",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Portal");

            migrationBuilder.AddColumn<string>(
                name: "SourceAddress",
                table: "license_requests",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_license_requests_Delivery_NextDeliveryAt",
                table: "license_requests",
                columns: new[] { "Delivery", "NextDeliveryAt" });

            migrationBuilder.CreateIndex(
                name: "IX_license_requests_DeskId",
                table: "license_requests",
                column: "DeskId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_license_requests_Delivery_NextDeliveryAt",
                table: "license_requests");

            migrationBuilder.DropIndex(
                name: "IX_license_requests_DeskId",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "Delivery",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeliveryAttempts",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeliveryError",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeskBody",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeskId",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeskRequestId",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeskSecret",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "DeskUrl",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "LastDeskContactAt",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "NextDeliveryAt",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "SecretHash",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "license_requests");

            migrationBuilder.DropColumn(
                name: "SourceAddress",
                table: "license_requests");
        }
    }
}
