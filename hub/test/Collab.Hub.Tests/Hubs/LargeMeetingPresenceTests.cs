using Collab.Testing;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Hubs;

/// <summary>Presence over real SignalR when a meeting outgrows the broadcast limit (3 here, 200 by default).</summary>
public sealed class LargeMeetingPresenceTests
{
    [Fact]
    public async Task Past_the_limit_only_moderators_hear_each_join_and_everyone_hears_the_count()
    {
        await using var host = await HubHost.StartAsync(("Collab:Conferencing:PresenceBroadcastLimit", "3"), ("Collab:Conferencing:ParticipantCountPushIntervalMilliseconds", "200"));
        var meeting = await host.CreateMeetingAsync("Town hall", TestContext.Current.CancellationToken);
        var clients = new List<MeetingClient>();
        try
        {
            var (moderator, _) = await host.JoinAsync(meeting, "Host", moderator: true);
            clients.Add(moderator);
            var (early, _) = await host.JoinAsync(meeting, "Early");
            clients.Add(early);
            var joins = new List<JoinResult>();
            foreach (var name in new[] { "Ana", "Ben", "Cy" })
            {
                var (client, join) = await host.JoinAsync(meeting, name);
                clients.Add(client);
                joins.Add(join);
            }

            await moderator.WaitForAsync(c => c.JoinedReceived.Count(p => p.DisplayName != "Host") == 4, "every join, to the moderator");
            await early.WaitForAsync(c => c.CountsReceived.Any(v => v.Count == 5 && !v.Listed), "the count of five");
            var list = await early.InvokeAsync<ParticipantView[]>("GetParticipants");

            Assert.Equal(["Early", "Ana"], early.JoinedReceived.Select(p => p.DisplayName));
            Assert.Equal(3, joins[0].Participants.Count);
            Assert.Empty(joins[2].Participants);
            Assert.Equal(5, joins[2].ParticipantCount);
            Assert.Equal(5, list.Length);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
