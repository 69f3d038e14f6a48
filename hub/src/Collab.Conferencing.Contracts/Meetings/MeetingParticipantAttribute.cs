namespace Collab.Conferencing.Meetings;

/// <summary>
/// Marks a hub method parameter, or a property of a request, that names a participant: the hub checks that it
/// belongs to the caller's meeting before the call runs (<c>not_found</c> otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class MeetingParticipantAttribute : Attribute;
