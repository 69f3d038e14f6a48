namespace Collab.Hub.Hubs;

/// <summary>
/// Marks a hub method only moderators may call: anyone else is refused with <c>forbidden</c> ("Only a moderator may
/// {action}.") before the call runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModeratorOnlyAttribute(string action) : Attribute
{
    public string Action { get; } = action;
}
