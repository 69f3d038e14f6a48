namespace Collab.Hub.Hubs;

/// <summary>
/// Marks a hub method a connection waiting in a meeting's lobby may call (joining again, leaving the lobby). Every
/// other method is refused with <c>waiting</c> until a moderator admits it: a waiter gets no meeting data.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllowedWhileWaitingAttribute : Attribute;
