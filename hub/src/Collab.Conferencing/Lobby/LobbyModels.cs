using System.ComponentModel.DataAnnotations;

namespace Collab.Conferencing.Lobby;

/// <summary>Why someone may not come back into a meeting: a moderator removed them, or declined them in the lobby.</summary>
public enum Exclusion
{
    Removed,
    Denied,
}

/// <summary>
/// Someone who entered the join code while the lobby was on and waits for a moderator. <see cref="Id"/> becomes their
/// participant id once admitted; <see cref="ConnectionId"/> is the connection that waits (never shown to clients).
/// </summary>
public sealed record Waiter(string Id, string DisplayName, long SinceUnixMs, string ConnectionId);

/// <summary>A meeting's lobby as stored: the two settings, who waits (oldest first) and a version bumped by every change.</summary>
public sealed record LobbyState(bool Enabled, bool Locked, IReadOnlyList<Waiter> Waiting, long Version)
{
    public static readonly LobbyState Empty = new(false, false, [], 0);
}

/// <summary>The lobby's view (a contract record) built from the stored state.</summary>
public static class LobbyViewExtensions
{
    extension(LobbyView)
    {
        public static LobbyView Of(LobbyState state) =>
            new(state.Enabled, state.Locked, [.. state.Waiting.Select(waiter => new WaiterView(waiter.Id, waiter.DisplayName, waiter.SinceUnixMs))], state.Version);
    }
}

/// <summary>Bounds of the lobby (section <c>Collab:Lobby</c>).</summary>
public sealed class LobbyOptions
{
    public const string SectionName = "Collab:Lobby";

    /// <summary>At most this many people wait in one meeting's lobby; past it a join by code is <c>unavailable</c>.</summary>
    [Range(1, 100_000)]
    public int MaxWaiting { get; set; } = 500;
}
