using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Testing;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.Hub.Tests.Hubs;

/// <summary>
/// Hub results are serialized by their runtime type; MessagePack cannot serialize the compiler's collection-expression
/// list types and aborts the connection. Every method that returns a collection is called over MessagePack here.
/// </summary>
public sealed class MessagePackResultTests
{
    [Fact]
    public async Task Collection_results_and_floor_views_reach_a_messagepack_client_and_the_connection_stays_up()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Lists", TestContext.Current.CancellationToken);
        var (moderator, _) = await host.JoinAsync(meeting, "Mod", moderator: true, protocol: HubProtocol.MessagePack);
        await using var _m = moderator;

        var participants = await moderator.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants));
        var polls = await moderator.InvokeAsync<PollView[]>(nameof(MeetingHub.GetPolls));
        var floor = await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var again = await moderator.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants));

        Assert.Single(participants);
        Assert.Empty(polls);
        Assert.Single(floor.Speakers);
        Assert.Single(again);
    }
}
