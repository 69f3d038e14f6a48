namespace Collab.Hub.Hubs;

/// <summary>
/// Marks a hub method whose own store write checks, in the same atomic step, that the caller's meeting is still open
/// and takes the caller's rate-limit token (<see cref="ParticipantRateLimitAttribute"/>): the filter then skips its
/// own store read and round trip, and hands the method the charge (<see cref="StoreStepCharge"/>). The rules stay
/// the filter's; only where they run moves. A meeting this node already knows has ended is still refused up front.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChecksInStoreStepAttribute : Attribute;
