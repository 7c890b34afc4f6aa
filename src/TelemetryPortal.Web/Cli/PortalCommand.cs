using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.ApiTokens;

namespace TelemetryPortal.Web.Cli;

/// <summary>
/// What the command line asks for: serve the portal (the default), or a tool command that uses the same
/// settings and data directory and exits: <c>tokens create --name NAME --role ROLE</c>, or
/// <c>db copy --to CONNECTION</c> (the SQLite database into an empty PostgreSQL one, <see cref="DatabaseCopy"/>).
/// </summary>
/// <param name="HostArgs">The arguments left for the host's configuration (<c>--Section:Key=value</c>).</param>
/// <param name="TokenName">For <c>tokens create</c>: the token's name.</param>
/// <param name="TokenRole">For <c>tokens create</c>: the token's role.</param>
/// <param name="Error">Why the arguments were refused, in one line; <see langword="null"/> when they were fine.</param>
/// <param name="CopyTo">For <c>db copy</c>: the PostgreSQL connection string to copy into.</param>
public sealed record PortalCommand(string[] HostArgs, string? TokenName = null, string? TokenRole = null, string? Error = null, string? CopyTo = null)
{
    private const string Usage = "use: tokens create --name NAME --role ROLE, or db copy --to \"CONNECTION STRING\"";

    /// <summary>Each tool command: its group, its verb and the options it takes.</summary>
    private static readonly Dictionary<string, (string Verb, string[] Options)> Commands = new(StringComparer.Ordinal)
    {
        ["tokens"] = ("create", ["--name", "--role"]),
        ["db"] = ("copy", ["--to"]),
    };

    /// <summary>Whether this is a tool command (no server, logs to standard error).</summary>
    public bool IsTool => TokenName is not null || CopyTo is not null || Error is not null;

    /// <summary>Reads the command line.</summary>
    public static PortalCommand Parse(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            return new PortalCommand(args);
        }

        var group = args[0];
        if (args.Length < 2 || args[1] != command.Verb)
        {
            return Fail(args.Length < 2 || args[1].StartsWith('-') ? $"{group} needs a command; {Usage}" : $"unknown {group} command \"{args[1]}\"; {Usage}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostArgs = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            var (option, inlineValue) = args[i].Split('=', 2) is [var o, var v] ? (o, v) : (args[i], null);
            if (command.Options.Contains(option))
            {
                var value = inlineValue ?? (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                if (string.IsNullOrWhiteSpace(value))
                {
                    return Fail($"{option} needs a value; {Usage}");
                }

                values[option] = value;
            }
            else if (option.StartsWith("--", StringComparison.Ordinal) && option.Contains(':', StringComparison.Ordinal))
            {
                // A setting such as --Portal:DataDirectory=/srv/portal, for the host.
                hostArgs.Add(args[i]);
                if (inlineValue is null && i + 1 < args.Length)
                {
                    hostArgs.Add(args[++i]);
                }
            }
            else
            {
                return Fail($"unknown argument \"{args[i]}\"; {Usage}");
            }
        }

        return group == "db" ? CopyCommand(values, hostArgs) : TokenCommand(values, hostArgs);
    }

    private static PortalCommand TokenCommand(Dictionary<string, string> values, List<string> hostArgs)
    {
        if (!values.TryGetValue("--name", out var name))
        {
            return Fail($"tokens create needs --name; {Usage}");
        }

        if (!values.TryGetValue("--role", out var role))
        {
            return Fail($"tokens create needs --role (Admin, Support or Customer); {Usage}");
        }

        if (Authentication.PortalRoles.Normalize(role) is null)
        {
            return Fail($"--role must be one of {string.Join(", ", Authentication.PortalRoles.All)}; got \"{role}\"");
        }

        return new PortalCommand([.. hostArgs], name, role);
    }

    private static PortalCommand CopyCommand(Dictionary<string, string> values, List<string> hostArgs)
    {
        if (!values.TryGetValue("--to", out var target))
        {
            return Fail($"db copy needs --to, the PostgreSQL connection string to copy into; {Usage}");
        }

        return DatabaseCopy.CheckTarget(target) is { } refusal ? Fail(refusal) : new PortalCommand([.. hostArgs], CopyTo: target);
    }

    /// <summary>
    /// Why the command cannot run with these settings, checked before the portal opens its database (which would create
    /// one); <see langword="null"/> when it can.
    /// </summary>
    public string? CheckBeforeStart(IServiceProvider services) =>
        CopyTo is null ? null : services.GetRequiredService<DatabaseCopy>().CheckSource();

    /// <summary>Runs the tool command against a built (not started) portal; returns the exit code.</summary>
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        if (CopyTo is not null)
        {
            return await services.GetRequiredService<DatabaseCopy>().RunAsync(CopyTo, output, errors);
        }

        try
        {
            var created = await services.GetRequiredService<ApiTokenService>().CreateAsync(TokenName!, TokenRole!, "command line");
            await output.WriteLineAsync(created.Token);
            await errors.WriteLineAsync($"Created API token {created.Summary.Prefix}… \"{created.Summary.Name}\" ({created.Summary.Role}). It is shown only this once.");
            return 0;
        }
        catch (PortalProblemException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }

    private static PortalCommand Fail(string error) => new([], Error: error);
}
