namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// What an idle load measured on one target: resident memory (VmRSS) with the warm connections and with all of them,
/// the time and server CPU to connect and join the rest, and how many were still connected at the end; and both
/// memory readings again right after a full collection the runtime was asked for, with the live heap it left.
/// </summary>
internal sealed record IdleResult(
    BaselineTarget Target,
    int Connections,
    int RoomSize,
    int WarmConnections,
    double JoinSeconds,
    double JoinServerCpuSeconds,
    long ResidentWarmBytes,
    long ResidentLoadedBytes,
    long PeakResidentBytes,
    int ConnectionsHeld,
    long? ResidentWarmCollectedBytes = null,
    long? ResidentLoadedCollectedBytes = null,
    long? LiveHeapWarmBytes = null,
    long? LiveHeapLoadedBytes = null)
{
    public double BytesPerConnection => (ResidentLoadedBytes - ResidentWarmBytes) / (double)(Connections - WarmConnections);

    /// <summary>The same after a full collection at each reading: what the connections hold once garbage is gone (null when the collection could not be asked for).</summary>
    public double? CollectedBytesPerConnection => ResidentWarmCollectedBytes is { } warm && ResidentLoadedCollectedBytes is { } loaded
        ? (loaded - warm) / (double)(Connections - WarmConnections)
        : null;

    /// <summary>
    /// The live managed heap per added connection, each reading the heap a full collection left (what a heap dump of
    /// the connections shows: the per-participant tables, the server's buffers and pools), without the memory the
    /// collector keeps committed, which swings from run to run (null when the runtime did not report it).
    /// </summary>
    public double? LiveHeapBytesPerConnection => LiveHeapWarmBytes is { } warm && LiveHeapLoadedBytes is { } loaded
        ? (loaded - warm) / (double)(Connections - WarmConnections)
        : null;

    public double JoinsPerSecond => JoinSeconds == 0 ? 0 : (Connections - WarmConnections) / JoinSeconds;

    public bool AllHeld => ConnectionsHeld == Connections;
}
