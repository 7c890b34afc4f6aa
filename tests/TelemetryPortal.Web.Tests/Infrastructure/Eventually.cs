namespace TelemetryPortal.Web.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>
    /// Waits for a condition that background work makes true (the sender runs on its own), checking
    /// it every 50 ms, and fails with <paramref name="what"/> if it is not true within the deadline.
    /// </summary>
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
