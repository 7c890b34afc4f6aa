using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// Serialises what changes the level in force (level decisions; applying, revoking and expiring a license)
/// with sending: the sender holds the gate from reading the level in force until the payload is on the wire
/// and answered, so no payload leaves at a level the admin has already lowered. A change waits for a send
/// in flight (at most <c>Telemetry:RequestTimeout</c> and the client's quick retries).
/// </summary>
/// <remarks>
/// Within a process one holder at a time. On PostgreSQL the gate spans every instance on the database: an advisory
/// lock on a connection of its own, shared by senders (instances send side by side) and exclusive for a change, so a
/// change on one instance waits for the sends in flight on all of them, and a send that starts after it reads the new
/// level. A holder that dies loses its connection, and with it the lock.
/// </remarks>
public sealed class ConsentGate(IDbContextFactory<PortalDbContext> dbFactory, IOptions<DatabaseOptions> database) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>Enters the gate to change the level in force; dispose the result to leave it.</summary>
    public Task<IDisposable> EnterAsync(CancellationToken ct = default) => EnterAsync(toSend: false, ct);

    /// <summary>Enters the gate to send: beside other instances' sends, never beside a change; dispose the result to leave it.</summary>
    public Task<IDisposable> EnterToSendAsync(CancellationToken ct = default) => EnterAsync(toSend: true, ct);

    private async Task<IDisposable> EnterAsync(bool toSend, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        if (database.Value.Provider != DatabaseProvider.Postgres)
        {
            return new Exit(_gate, null, toSend);
        }

        PortalDbContext? db = null;
        try
        {
            db = await dbFactory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            if (toSend)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock_shared({PostgresLocks.ConsentGate})", ct);
            }
            else
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({PostgresLocks.ConsentGate})", ct);
            }

            return new Exit(_gate, db, toSend);
        }
        catch
        {
            if (db is not null)
            {
                await db.DisposeAsync();
            }

            _gate.Release();
            throw;
        }
    }

    private sealed class Exit(SemaphoreSlim gate, PortalDbContext? db, bool shared) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _gate, null) is not { } held)
            {
                return;
            }

            try
            {
                if (db is not null)
                {
                    // Released before the connection goes back to the pool (which would also discard it, on reset).
                    _ = shared
                        ? db.Database.ExecuteSql($"SELECT pg_advisory_unlock_shared({PostgresLocks.ConsentGate})")
                        : db.Database.ExecuteSql($"SELECT pg_advisory_unlock({PostgresLocks.ConsentGate})");
                }
            }
            finally
            {
                db?.Dispose();
                held.Release();
            }
        }
    }
}
