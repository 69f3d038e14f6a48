namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// What an idle load measured on one target: resident memory (VmRSS) with the warm connections and with all of them,
/// the time and server CPU to connect and join the rest, and how many were still connected at the end; and both
/// memory readings again right after a full collection the runtime was asked for.
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
    long? ResidentLoadedCollectedBytes = null)
{
    public double BytesPerConnection => (ResidentLoadedBytes - ResidentWarmBytes) / (double)(Connections - WarmConnections);

    /// <summary>The same after a full collection at each reading: what the connections hold once garbage is gone (null when the collection could not be asked for).</summary>
    public double? CollectedBytesPerConnection => ResidentWarmCollectedBytes is { } warm && ResidentLoadedCollectedBytes is { } loaded
        ? (loaded - warm) / (double)(Connections - WarmConnections)
        : null;

    public double JoinsPerSecond => JoinSeconds == 0 ? 0 : (Connections - WarmConnections) / JoinSeconds;

    public bool AllHeld => ConnectionsHeld == Connections;
}
