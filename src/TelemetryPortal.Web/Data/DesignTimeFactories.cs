using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TelemetryPortal.Web.Extensions;

namespace TelemetryPortal.Web.Data;

/// <summary>
/// For <c>dotnet ef migrations add NAME --context SqlitePortalDbContext --output-dir Data/Migrations/Sqlite</c>: the
/// model on SQLite, without starting the portal (no database is opened).
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add NAME --context PostgresPortalDbContext --output-dir Data/Migrations/Postgres</c>.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresPortalDbContext>();
        options.UsePostgres("Host=localhost;Database=design-time");
        return new(options.Options);
    }
}
