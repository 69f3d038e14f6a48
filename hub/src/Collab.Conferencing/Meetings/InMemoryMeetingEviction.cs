using Collab.Conferencing.Audio;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>
/// Evicts a meeting from each registered store that holds its data in this process (those that implement
/// <see cref="IMeetingEviction"/>); a store replaced or wrapped by another implementation is simply skipped.
/// </summary>
internal sealed class InMemoryMeetingEviction(IMeetingStore meetings, IChatStore chat, IPollStore polls, IFloorStore floor, Lobby.ILobbyStore lobby, Qa.IQuestionStore questions, Speakers.ISpeakerStore speakers, Rooms.IRoomStore rooms) : IMeetingEviction
{
    public async Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        foreach (var store in new object[] { meetings, chat, polls, floor, lobby, questions, speakers, rooms })
        {
            if (store is IMeetingEviction eviction)
            {
                await eviction.EvictAsync(meetingId, cancellationToken);
            }
        }
    }
}
