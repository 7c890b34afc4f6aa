using TelemetryPortal.Fuzz;

return RedactorFuzzer.Run(args);
