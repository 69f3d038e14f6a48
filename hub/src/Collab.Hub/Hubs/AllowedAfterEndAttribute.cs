namespace Collab.Hub.Hubs;

/// <summary>
/// Marks a hub method an ended meeting still accepts: reads, leaving, and calls that touch only the caller's own
/// connection. Every other method is refused with <c>conflict</c> once the meeting has ended.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllowedAfterEndAttribute : Attribute;
