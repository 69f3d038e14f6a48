namespace Collab.Conferencing.Lobby;

/// <summary>One person waiting, as moderators see them.</summary>
public sealed record WaiterView(string WaiterId, string DisplayName, long SinceUnixMs);

/// <summary>
/// The lobby as moderators see it: whether joins by code wait (<see cref="Enabled"/>), whether they are refused
/// (<see cref="Locked"/>), who waits, oldest first. Keep the view with the highest <see cref="Version"/>.
/// </summary>
public sealed record LobbyView(bool Enabled, bool Locked, WaiterView[] Waiting, long Version);
