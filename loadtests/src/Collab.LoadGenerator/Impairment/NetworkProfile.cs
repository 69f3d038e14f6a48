namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// A degraded link as the impairment proxy plays it, per direction as seen from the participant (down = hub → client).
/// Loss on a TCP link shows up as retransmission stalls: a lost segment holds back everything behind it for at least
/// the retransmission timeout, so <see cref="LossPercent"/> becomes delay spikes of <see cref="RetransmitMilliseconds"/>.
/// </summary>
/// <param name="Name">Name used on the command line.</param>
/// <param name="DownKilobitsPerSecond">Bandwidth cap hub → client (0: no cap).</param>
/// <param name="UpKilobitsPerSecond">Bandwidth cap client → hub (0: no cap).</param>
/// <param name="OneWayLatencyMilliseconds">Base one-way delay, each direction.</param>
/// <param name="JitterMilliseconds">Extra one-way delay, uniform in 0..this (order is kept, as TCP would).</param>
/// <param name="LossPercent">Segments lost, each costing a retransmission stall.</param>
/// <param name="MeanLossBurstSegments">Mean run of consecutive lost segments (1: independent losses).</param>
/// <param name="RetransmitMilliseconds">Stall per loss burst (Linux's minimum RTO is 200 ms).</param>
/// <param name="OutageEverySeconds">Time between outages (0: none).</param>
/// <param name="OutageSeconds">Length of each outage: nothing passes.</param>
/// <param name="ResetOnOutage">Whether an outage also resets open connections (a client roaming to another access point).</param>
/// <param name="Source">Where the figures come from.</param>
public sealed record NetworkProfile(
    string Name,
    double DownKilobitsPerSecond,
    double UpKilobitsPerSecond,
    double OneWayLatencyMilliseconds,
    double JitterMilliseconds,
    double LossPercent,
    double MeanLossBurstSegments,
    double RetransmitMilliseconds,
    double OutageEverySeconds,
    double OutageSeconds,
    bool ResetOnOutage,
    string Source)
{
    /// <summary>Loopback without impairment, for baselines.</summary>
    public static readonly NetworkProfile Good = new("good", 0, 0, 0, 0, 0, 1, 200, 0, 0, false, "no impairment");

    /// <summary>Firefox devtools "Regular 3G" (750/250 kbit/s, 100 ms) with comcast's 3G loss (1.5 %) and RTT 250 ms.</summary>
    public static readonly NetworkProfile ThreeG = new("3g", 750, 250, 125, 20, 1.5, 1, 250, 0, 0, false,
        "Firefox devtools Regular 3G (750/250 kbit/s); comcast 3G/HSDPA (250 ms RTT, 1.5 % loss); 20 ms jitter is ours");

    /// <summary>Firefox devtools "Regular 2G"/comcast EDGE: 250/50 kbit/s, 300 ms, 1.5 % loss.</summary>
    public static readonly NetworkProfile Edge = new("edge", 250, 50, 150, 30, 1.5, 1, 300, 0, 0, false,
        "Firefox devtools Regular 2G (250/50 kbit/s, 300 ms); comcast EDGE (1.5 % loss); 30 ms jitter is ours");

    /// <summary>comcast's satellite (1.5 s RTT, 0.2 % loss) with Loadero's satellite-phone rates (1,000/256 kbit/s).</summary>
    public static readonly NetworkProfile Satellite = new("satellite", 1_000, 256, 600, 50, 0.2, 1, 1_500, 0, 0, false,
        "comcast satellite (0.2 % loss; we use 1.2 s RTT, inside the issue's 0.6–1.5 s); Loadero satellite phone (1,000/256 kbit/s)");

    /// <summary>
    /// Congested summit Wi-Fi, after shared/NETWORK-PROFILES.md's model: a shared ~2 Mbit/s uplink, 40–100 ms with ±30 ms
    /// jitter, 2–5 % bursty loss, and 5–20 s outages every few minutes.
    /// </summary>
    public static readonly NetworkProfile VenueWifi = new("venue-wifi", 2_000, 2_000, 70, 30, 3.5, 3, 250, 120, 8, true,
        "no published preset; the team's model (NETWORK-PROFILES.md): 40–100 ms ± 30 ms, 2–5 % bursty loss (3.5 %, bursts of 3), an 8 s outage with a reset every 120 s, the first 60 s in");

    /// <summary>Starts as <see cref="Good"/>: the command line's link options (--latency-ms, --loss-percent, …) shape it.</summary>
    public static readonly NetworkProfile Custom = Good with { Name = "custom", Source = "set on the command line" };

    public static IReadOnlyList<NetworkProfile> All { get; } = [Good, ThreeG, Edge, Satellite, VenueWifi, Custom];

    public static bool TryGet(string name, out NetworkProfile profile)
    {
        profile = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return profile is not null;
    }
}
