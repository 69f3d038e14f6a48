using System.Diagnostics;

namespace Collab.LoadGenerator.Impairment;

/// <summary>The proxy's clock and its outage schedule (outages start after the first full period).</summary>
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
        return (Math.Floor(milliseconds / period) * period) + (profile.OutageSeconds * 1000);
    }

    private bool InOutageAt(double milliseconds)
    {
        if (profile.OutageEverySeconds <= 0 || profile.OutageSeconds <= 0)
        {
            return false;
        }

        var period = profile.OutageEverySeconds * 1000;
        return milliseconds >= period && milliseconds % period < profile.OutageSeconds * 1000;
    }
}
