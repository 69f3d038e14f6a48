
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Participants;

/// <summary>Your own name and role as the node serving your connection now applies them (<c>SelfUpdated</c>).</summary>
public sealed record SelfView(string ParticipantId, string DisplayName, ParticipantRole Role);
