namespace Collab.Hub.Hubs;

/// <summary>
/// Marks a hub method only moderators may call: anyone else is refused with <c>forbidden</c> ("Only a moderator may
/// {action}.") before the call runs. The role checked is the connection's current one (a promotion or demotion on any
/// node applies to the next call). A method that does and undoes by a <c>bool</c> argument (mute/unmute) names the undo
/// in <see cref="ActionWhenFalse"/>: the refusal then says what the caller tried.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModeratorOnlyAttribute(string action) : Attribute
{
    public string Action { get; } = action;

    /// <summary>What the method does when its (first) <c>bool</c> argument is false.</summary>
    public string? ActionWhenFalse { get; init; }
}
