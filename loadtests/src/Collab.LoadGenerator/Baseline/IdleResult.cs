namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// What an idle load measured on one target: resident memory (VmRSS) with the warm connections and with all of them,
/// the time and server CPU to connect and join the rest, and how many were still connected at the end.
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
    int ConnectionsHeld)
{
    public double BytesPerConnection => (ResidentLoadedBytes - ResidentWarmBytes) / (double)(Connections - WarmConnections);

    public double JoinsPerSecond => JoinSeconds == 0 ? 0 : (Connections - WarmConnections) / JoinSeconds;

    public bool AllHeld => ConnectionsHeld == Connections;
}
