using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The export formats of the sent log.</summary>
public enum ExportFormat
{
    /// <summary>The metadata, one row per payload.</summary>
    Csv,

    /// <summary>One JSON object per line: the metadata and the exact payload.</summary>
    JsonLines,

    /// <summary>Every payload's exact bytes as its own file, plus <c>index.csv</c>.</summary>
    Zip,
}

/// <summary>Writes a filtered selection of the sent log to a stream, row by row, never holding it whole.</summary>
public sealed class HistoryExporter(HistoryService history)
{
    private static readonly string[] s_columns =
    [
        "id", "captured_at", "kind", "level", "source", "status", "http_status", "attempts", "size_bytes", "sha256",
        "idempotency_key", "coder_version", "endpoint", "completed_at", "dropped_fields", "unknown_fields_dropped",
        "masked_emails", "masked_ip_addresses", "last_error",
    ];

    public static string FileName(ExportFormat format, DateTime now) =>
        $"telemetry-history-{now:yyyyMMdd-HHmmss}." + format switch
        {
            ExportFormat.Csv => "csv",
            ExportFormat.JsonLines => "jsonl",
            _ => "zip",
        };

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.JsonLines => "application/x-ndjson",
        _ => "application/zip",
    };

    /// <summary>The format the API's <c>format</c> parameter names: <c>csv</c> (the default), <c>jsonl</c> or <c>zip</c>.</summary>
    /// <exception cref="PortalProblemException">It names no format (400).</exception>
    public static ExportFormat ParseFormat(string? raw) => (raw ?? "csv").ToLowerInvariant() switch
    {
        "csv" => ExportFormat.Csv,
        "jsonl" or "jsonlines" => ExportFormat.JsonLines,
        "zip" => ExportFormat.Zip,
        _ => throw PortalProblemException.Invalid($"format must be csv, jsonl or zip; got \"{raw}\"."),
    };

    /// <summary>Writes the export; reports the number of payloads written so far.</summary>
    /// <returns>The number of payloads exported.</returns>
    public async Task<int> WriteAsync(HistoryFilter filter, ExportFormat format, Stream output, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var count = 0;
        switch (format)
        {
            case ExportFormat.Csv:
            {
                await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
                await writer.WriteLineAsync(string.Join(',', s_columns).AsMemory(), ct);
                await foreach (var (payload, _) in history.StreamAsync(filter, ct))
                {
                    await writer.WriteLineAsync(CsvRow(payload).AsMemory(), ct);
                    progress?.Report(++count);
                }

                break;
            }

            case ExportFormat.JsonLines:
            {
                await foreach (var (payload, open) in history.StreamAsync(filter, ct))
                {
                    // The metadata, then the payload's bytes copied in as they are (a raw JSON value, never held whole).
                    var head = new ArrayBufferWriter<byte>();
                    await using (var json = new Utf8JsonWriter(head))
                    {
                        json.WriteStartObject();
                        WriteMetadata(json, payload);
                        json.WriteEndObject();
                    }

                    await output.WriteAsync(head.WrittenMemory[..^1], ct);
                    await output.WriteAsync(",\"payload\":"u8.ToArray(), ct);
                    if (await open(ct) is { } content)
                    {
                        await using var bytes = await content.OpenReadAsync(0, ct);
                        await bytes.CopyToAsync(output, ct);
                    }
                    else
                    {
                        await output.WriteAsync("null"u8.ToArray(), ct);
                    }

                    await output.WriteAsync("}\n"u8.ToArray(), ct);
                    progress?.Report(++count);
                }

                break;
            }

            default:
            {
                // The archive is built in a temporary file (parts of ZipArchive still write synchronously,
                // which an HTTP response refuses), then copied out; memory stays flat either way.
                await using var temporary = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                count = await WriteZipAsync(filter, temporary, progress, ct);
                temporary.Position = 0;
                await temporary.CopyToAsync(output, ct);
                break;
            }
        }

        return count;
    }

    private async Task<int> WriteZipAsync(HistoryFilter filter, Stream output, IProgress<int>? progress, CancellationToken ct)
    {
        var count = 0;
        var index = new StringBuilder().AppendLine(string.Join(',', s_columns));
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await foreach (var (payload, open) in history.StreamAsync(filter, ct))
        {
            var entry = zip.CreateEntry($"payloads/{payload.Id:D8}-{PayloadKinds.Name(payload.Kind)}.json", CompressionLevel.Fastest);
            await using (var file = await entry.OpenAsync(ct))
            {
                if (await open(ct) is { } content)
                {
                    await using var bytes = await content.OpenReadAsync(0, ct);
                    await bytes.CopyToAsync(file, ct);
                }
            }

            index.AppendLine(CsvRow(payload));
            progress?.Report(++count);
        }

        var indexEntry = zip.CreateEntry("index.csv", CompressionLevel.Fastest);
        await using (var file = await indexEntry.OpenAsync(ct))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes(index.ToString()), ct);
        }

        return count;
    }

    private static void WriteMetadata(Utf8JsonWriter json, PayloadRecord p)
    {
        json.WriteNumber("id", p.Id);
        json.WriteString("captured_at", p.CapturedAt);
        json.WriteString("kind", PayloadKinds.Name(p.Kind));
        json.WriteNumber("level", p.Level);
        json.WriteString("source", p.Source.ToString());
        json.WriteString("status", p.Status.ToString());
        json.WriteString("sha256", p.Sha256);
        json.WriteNumber("size_bytes", p.SizeBytes);
        json.WriteString("idempotency_key", p.IdempotencyKey);
        json.WriteString("endpoint", p.Endpoint);
    }

    private static string CsvRow(PayloadRecord p) => string.Join(',',
        p.Id.ToString(CultureInfo.InvariantCulture),
        p.CapturedAt.ToString("O", CultureInfo.InvariantCulture),
        PayloadKinds.Name(p.Kind),
        p.Level.ToString(CultureInfo.InvariantCulture),
        p.Source.ToString(),
        p.Status.ToString(),
        p.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "",
        p.Attempts.ToString(CultureInfo.InvariantCulture),
        p.SizeBytes.ToString(CultureInfo.InvariantCulture),
        p.Sha256,
        p.IdempotencyKey.ToString(),
        Csv(p.CoderVersion),
        Csv(p.Endpoint),
        p.CompletedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
        p.Redaction.DroppedFields.ToString(CultureInfo.InvariantCulture),
        p.Redaction.UnknownFieldsDropped.ToString(CultureInfo.InvariantCulture),
        p.Redaction.MaskedEmails.ToString(CultureInfo.InvariantCulture),
        p.Redaction.MaskedIpAddresses.ToString(CultureInfo.InvariantCulture),
        Csv(p.LastError));

    /// <summary>RFC 4180 quoting, and a leading quote against spreadsheet formula injection.</summary>
    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
