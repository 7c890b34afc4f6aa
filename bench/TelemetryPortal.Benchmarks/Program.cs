using TelemetryPortal.Benchmarks;

return args switch
{
    ["redaction", .. var rest] => RedactionBenchmark.Run(rest),
    ["history", .. var rest] => await HistoryBenchmark.RunAsync(rest),
    ["masking", .. var rest] => MaskingBenchmark.Run(rest),
    ["pipeline", .. var rest] => await PipelineBenchmark.RunAsync(rest),
    ["ingest", .. var rest] => await IngestBenchmark.RunAsync(rest),
    ["storage", .. var rest] => StorageChoiceBenchmark.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- redaction [--reps N] [--users N] [--workspaces N] [--data DIR] [--regenerate]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- history [--rows N] [--reps N] [--warmup N] [--size-days N] [--skip-queries] [--skip-size] [--data DIR] [--regenerate]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- history --provider postgres [--connection CONN] [--rows N] [--reps N] [--warmup N] [--psql PATH] [--data DIR] [--regenerate]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- masking [--bytes N] [--reps N] [--case TEXT]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- pipeline [--sizes 1,100,400] [--data DIR] [--regenerate]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- ingest [--instances 1,2] [--payloads N] [--warmup N] [--clients N] [--level 1|2] [--connection CONN] [--data DIR]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/TelemetryPortal.Benchmarks -- storage [--users N] [--workspaces N]");
    return 2;
}
