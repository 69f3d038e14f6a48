using Collab.Conferencing.Audio;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Qa;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

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

    /// <summary>How many are present; sent (coalesced) while the meeting is over the presence broadcast limit, when only moderators get joins and leaves.</summary>
    Task ParticipantCountChanged(ParticipantCountView count);

    /// <summary>A poll was created, opened or closed (with its tally; final once closed).</summary>
    Task PollUpdated(PollView poll);

    /// <summary>A live tally (coalesced); ignore one whose version is below what you have, and any non-final one after a final.</summary>
    Task PollTallyUpdated(PollTally tally);

    Task MeetingEnded(string meetingId);

    /// <summary>One speaker's audio batch (codec/README.md); may be dropped for a listener that cannot keep up.</summary>
    Task AudioReceived(string speakerId, byte[] batch);

    /// <summary>Who holds the floor, who asked for it and who is muted.</summary>
    Task FloorUpdated(FloorView floor);

    /// <summary>To a speaker: what its listeners experience and the round trip; echo <c>SentAtMs</c> with <c>AckLinkFeedback</c>.</summary>
    Task LinkFeedback(LinkFeedbackView feedback);

    /// <summary>To moderators: the lobby's settings or waiting list changed; keep the view with the highest version.</summary>
    Task LobbyUpdated(LobbyView lobby);

    /// <summary>To someone waiting: a moderator admitted you; call <c>Join</c> with your resume token to come in.</summary>
    Task LobbyAdmitted(string meetingId);

    /// <summary>To someone waiting: a moderator declined your request.</summary>
    Task LobbyDenied(string reason);

    /// <summary>To each connection of a removed participant, just before the hub closes it.</summary>
    Task RemovedFromMeeting(string reason);

    /// <summary>A question was asked or changed, or its votes moved (coalesced); keep the highest version. Hidden ones go to moderators only.</summary>
    Task QuestionUpdated(QuestionView question);

    /// <summary>A question was hidden: participants drop it (moderators, who also get its <c>QuestionUpdated</c>, keep it).</summary>
    Task QuestionRemoved(QuestionRemovedView removed);

    /// <summary>A moderator changed the Q&amp;A settings (whether anonymous questions are allowed).</summary>
    Task QaSettingsUpdated(QaSettings settings);

    /// <summary>A moderator deleted a chat message: show its place as deleted and drop its text.</summary>
    Task ChatMessageDeleted(Collab.Conferencing.Moderation.ChatMessageDeletedView deleted);

    /// <summary>To each connection of a participant whose name or role changed, once the node serving it applies the change (its calls carry the new role from then on).</summary>
    Task SelfUpdated(Collab.Conferencing.Participants.SelfView self);

    /// <summary>The list of speakers changed (coalesced); keep the highest version.</summary>
    Task SpeakersUpdated(Collab.Conferencing.Speakers.SpeakersView speakers);
    /// <summary>To everyone: the discussion rooms changed (created, closed, someone moved; coalesced); keep the highest version.</summary>
    Task RoomsUpdated(Collab.Conferencing.Rooms.RoomsView rooms);

    /// <summary>To a participant's connections: they are now in another room (null: the main room); switch chat and catch up from <c>LastChatSequence</c>.</summary>
    Task RoomChanged(Collab.Conferencing.Rooms.RoomLocationView location);

    /// <summary>To everyone, in every room: a moderator's broadcast (also stored in each room's chat).</summary>
    Task RoomBroadcast(Collab.Conferencing.Rooms.RoomBroadcastView broadcast);
}
