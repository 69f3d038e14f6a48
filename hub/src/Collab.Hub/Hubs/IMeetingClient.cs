using Collab.Conferencing.Model;

namespace Collab.Hub.Hubs;

/// <summary>What the hub pushes to the members of a meeting (documented in hub/PROTOCOL.md).</summary>
public interface IMeetingClient
{
    /// <summary>A chat message; clients order by <see cref="ChatMessage.Sequence"/> and drop sequences they already have.</summary>
    Task ChatMessageReceived(ChatMessage message);

    Task ParticipantJoined(ParticipantView participant);

    /// <summary>A participant's hand was raised or lowered.</summary>
    Task ParticipantUpdated(ParticipantView participant);

    Task ParticipantLeft(string participantId);

    /// <summary>A poll was created, opened or closed (with its tally; final once closed).</summary>
    Task PollUpdated(PollView poll);

    /// <summary>A live tally (coalesced); ignore one whose version is below what you have, and any non-final one after a final.</summary>
    Task PollTallyUpdated(PollTally tally);

    Task MeetingEnded(string meetingId);
}
