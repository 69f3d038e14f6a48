namespace Collab.Hub.Hubs;

/// <summary>
/// Every SignalR group name of the meeting hub, in one place. With Redis the backplane turns each group into a
/// channel under the deployment's prefix; the names are the host's, not the stores' (Redis keys are in <c>RedisKeys</c>).
/// </summary>
public static class MeetingGroups
{
    /// <summary>Every joined connection of a meeting.</summary>
    public static string Meeting(string meetingId) => $"meeting:{meetingId}";

    /// <summary>The moderators' connections of a meeting.</summary>
    public static string Moderators(string meetingId) => $"meeting:{meetingId}:moderators";

    /// <summary>One waiter's connection (its lobby decision).</summary>
    public static string Waiter(string meetingId, string waiterId) => $"meeting:{meetingId}:waiter:{waiterId}";

    /// <summary>Every connection waiting in a meeting's lobby (told when the meeting ends).</summary>
    public static string Lobby(string meetingId) => $"meeting:{meetingId}:lobby";

    /// <summary>
    /// The connections in one scope: a meeting's main room (<c>scope:{meetingId}</c>) or one of its discussion rooms
    /// (<c>scope:{meetingId}/{roomId}</c>). Chat and floor pushes go here; meeting-wide ones to <see cref="Meeting"/>.
    /// </summary>
    public static string Scope(string scopeId) => $"scope:{scopeId}";
}
