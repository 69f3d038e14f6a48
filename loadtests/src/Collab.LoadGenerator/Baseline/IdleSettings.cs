namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// Idle connections that join and stay: <see cref="ParticipantsPerRoom"/> to a room (a Collab meeting or a bare-hub
/// group; all in one by default). Memory is measured after <see cref="Settle"/> with a few warm connections, and again
/// <see cref="Settle"/> after all are joined.
/// </summary>
internal sealed record IdleSettings(int Connections, TimeSpan Settle, int? ParticipantsPerRoom = null)
{
    public const int ConnectConcurrency = 32;

    /// <summary>The longest the join phase may take before the load gives up.</summary>
    public static readonly TimeSpan JoinLimit = TimeSpan.FromMinutes(20);

    public int RoomSize => Math.Clamp(ParticipantsPerRoom ?? Connections, 1, Connections);

    public int Rooms => (Connections + RoomSize - 1) / RoomSize;

    /// <summary>Connections joined before the first memory reading (JIT, pools and the first room warmed up).</summary>
    public int WarmConnections => Math.Clamp(Connections / 20, 1, 100);
}
