namespace TelemetryPortal.E2E.Infrastructure;

public static class Eventually
{
    /// <summary>Waits for a condition that background work makes true, checking every 50 ms, failing with <paramref name="what"/> after the deadline.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Not within {seconds} s: {what}");
            }

            await tick.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }
    }
}
