using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.ApiTokens;

namespace TelemetryPortal.Web.Cli;

/// <summary>
/// What the command line asks for: serve the portal (the default), or a tool command that uses the same
/// settings and data directory and exits, e.g. <c>tokens create --name NAME --role ROLE</c>.
/// </summary>
/// <param name="HostArgs">The arguments left for the host's configuration (<c>--Section:Key=value</c>).</param>
/// <param name="TokenName">For <c>tokens create</c>: the token's name.</param>
/// <param name="TokenRole">For <c>tokens create</c>: the token's role.</param>
/// <param name="Error">Why the arguments were refused, in one line; <see langword="null"/> when they were fine.</param>
public sealed record PortalCommand(string[] HostArgs, string? TokenName = null, string? TokenRole = null, string? Error = null)
{
    private const string Usage = "use: tokens create --name NAME --role ROLE";

    /// <summary>Whether this is a tool command (no server, logs to standard error).</summary>
    public bool IsTool => TokenName is not null || Error is not null;

    /// <summary>Reads the command line.</summary>
    public static PortalCommand Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "tokens")
        {
            return new PortalCommand(args);
        }

        if (args.Length < 2 || args[1] != "create")
        {
            return Fail(args.Length < 2 || args[1].StartsWith('-') ? $"tokens needs a command; {Usage}" : $"unknown tokens command \"{args[1]}\"; {Usage}");
        }

        string? name = null, role = null;
        var hostArgs = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            var (option, inlineValue) = args[i].Split('=', 2) is [var o, var v] ? (o, v) : (args[i], null);
            if (option is "--name" or "--role")
            {
                var value = inlineValue ?? (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                if (string.IsNullOrWhiteSpace(value))
                {
                    return Fail($"{option} needs a value; {Usage}");
                }

                if (option == "--name")
                {
                    name = value;
                }
                else
                {
                    role = value;
                }
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

        if (name is null)
        {
            return Fail($"tokens create needs --name; {Usage}");
        }

        if (role is null)
        {
            return Fail($"tokens create needs --role (Admin, Support or Customer); {Usage}");
        }

        if (Authentication.PortalRoles.Normalize(role) is null)
        {
            return Fail($"--role must be one of {string.Join(", ", Authentication.PortalRoles.All)}; got \"{role}\"");
        }

        return new PortalCommand([.. hostArgs], name, role);
    }

    /// <summary>Runs the tool command against a built (not started) portal; returns the exit code.</summary>
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter errors)
    {
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
