using TelemetryPortal.Benchmarks;

return args switch
{
    ["redaction", .. var rest] => RedactionBenchmark.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- redaction [--reps N] [--users N] [--workspaces N] [--data DIR] [--regenerate]");
    return 2;
}
