using System.Diagnostics;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// The proxy's clock and its outage schedule: outages start half a period in (so a one-minute run of a two-minute
/// schedule still meets one), then recur every period.
/// </summary>
internal sealed class ImpairmentClock(NetworkProfile profile)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public double NowMilliseconds => _clock.Elapsed.TotalMilliseconds;

    /// <summary>Whether an outage is under way now.</summary>
    public bool InOutage => InOutageAt(NowMilliseconds);

    /// <summary>The given time, or the end of the outage it falls in.</summary>
    public double AfterOutage(double milliseconds)
    {
        if (!InOutageAt(milliseconds))
        {
            return milliseconds;
        }

        var period = profile.OutageEverySeconds * 1000;
        var shifted = milliseconds - (period / 2);
        return (Math.Floor(shifted / period) * period) + (period / 2) + (profile.OutageSeconds * 1000);
    }

    private bool InOutageAt(double milliseconds)
    {
        if (profile.OutageEverySeconds <= 0 || profile.OutageSeconds <= 0)
        {
            return false;
        }

        var period = profile.OutageEverySeconds * 1000;
        var shifted = milliseconds - (period / 2);
        return shifted >= 0 && shifted % period < profile.OutageSeconds * 1000;
    }
}
