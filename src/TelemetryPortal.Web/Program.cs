using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Cli;
using TelemetryPortal.Web.Components;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Endpoints.Api;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;

var command = PortalCommand.Parse(args);
if (command.Error is not null)
{
    Console.Error.WriteLine($"error: {command.Error}");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = command.HostArgs,
    ContentRootPath = AppContext.BaseDirectory,
});
if (command.IsTool)
{
    builder.UseToolConsole();
}

// The portal's own files come from the build's static web assets manifest in every environment, so that
// `dotnet run` works in Production (the default; Development, with its detailed error pages, is opt-in).
builder.WebHost.UseStaticWebAssets();
// Development would also map a catch-all route serving files added after start; every route declares its
// access, and that one cannot, so it is off (a file added while running needs a restart to be served).
builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] = "true";
PortalFiles.RestrictToOwner();

builder.Services
    .AddPortalOptions()
    .AddPortalData()
    .AddPortalServices()
    .AddAccounts()
    .AddApiTokens()
    .AddConsent()
    .AddTelemetry()
    .AddLicensing()
    .AddPortalAuthentication()
    .AddPortalApi()
    .AddPortalUi();

var app = builder.Build();

try
{
    // Validate every settings section before anything is created, so a bad value stops the start
    // with one line that names it rather than a stack trace.
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    // A tool command refused by the settings (db copy from a database that is not there) creates nothing.
    if (command.CheckBeforeStart(app.Services) is { } refusal)
    {
        Console.Error.WriteLine($"error: {refusal}");
        return 2;
    }

    var dataDirectory = app.Services.GetRequiredService<IOptions<TelemetryPortal.Web.Configuration.PortalOptions>>().Value.DataDirectoryFullPath;
    Directory.CreateDirectory(dataDirectory);
    PortalFiles.Secure(dataDirectory);
}
catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or AggregateException or IOException or UnauthorizedAccessException)
{
    foreach (var message in StartupErrors.Describe(ex))
    {
        Console.Error.WriteLine($"error: {message}");
    }

    return 1;
}

var stdout = Console.Out;
if (command.IsTool)
{
    // Only the tool's answer goes to standard output (e.g. the token, for a script to capture).
    Console.SetOut(Console.Error);
}

try
{
    await app.Services.GetRequiredService<PortalInitializer>().InitializeAsync();
}
catch (System.Data.Common.DbException ex)
{
    // A database that cannot be reached or opened (a wrong host or password, a server down): one line, not a stack trace.
    var database = app.Services.GetRequiredService<IOptions<TelemetryPortal.Web.Data.DatabaseOptions>>().Value;
    Console.Error.WriteLine($"error: the database ({database.Provider}) could not be opened or migrated: {ex.Message}");
    return 1;
}

if (command.IsTool)
{
    return await command.RunAsync(app.Services, stdout, Console.Error);
}

app.UseTrustedProxies();
app.UseMiddleware<TelemetryPortal.Web.Security.SecurityHeadersMiddleware>();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

// Pages get a friendly "not found"; the API and machine endpoints (and every non-GET) keep their bare status codes.
app.UseWhen(
    context => !TelemetryPortal.Web.Extensions.AuthenticationServiceCollectionExtensions.IsMachineRequest(context.Request),
    pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UsePortalSecurity();

app.MapStaticAssets().RequireAccess(Audience.Anonymous);
app.MapHealthEndpoints();
app.MapAccountEndpoints();
app.MapTelemetryIngestEndpoints();
app.MapLicenseDesk();
app.MapPortalApi();
app.MapOpenApi().RequireAccess(Audience.AnyRole, "the OpenAPI description of /api/v1");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().WithFrameworkAccess();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
