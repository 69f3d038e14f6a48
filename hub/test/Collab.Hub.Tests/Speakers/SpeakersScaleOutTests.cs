using Collab.Conferencing.Audio;
using Collab.Conferencing.Speakers;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Tests.Speakers;

public sealed class SpeakersScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_to_speak_from_both_nodes_queue_exactly_and_the_floor_goes_to_each_in_turn_with_its_time_measured()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Plenary", Cancel);
        var (chair, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _c = chair;
        await chair.InvokeAsync<FloorView>(nameof(MeetingHub.SetFloorMode), new SetFloorModeRequest(FloorMode.Moderated, 1));
        var delegates = new List<(MeetingClient Client, string Id)>();
        for (var i = 0; i < 8; i++)
        {
            var (client, join) = await (i % 2 == 0 ? cluster.A : cluster.B).JoinAsync(meeting, $"Delegate {i}", protocol: i % 4 < 2 ? HubProtocol.Json : HubProtocol.MessagePack);
            delegates.Add((client, join.ParticipantId));
        }

        try
        {
            var empty = await Assert.ThrowsAsync<HubException>(() => chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.NextSpeaker)));

            // All ask at once, half on each node: each is placed once, and where its own answer put it is where it stays.
            var answers = await Task.WhenAll(delegates.Select(d => d.Client.InvokeAsync<SpeakersView>(nameof(MeetingHub.AskToSpeak))));
            var again = await delegates[0].Client.InvokeAsync<SpeakersView>(nameof(MeetingHub.AskToSpeak));
            var onB = await delegates[1].Client.InvokeAsync<SpeakersView>(nameof(MeetingHub.GetSpeakers));
            var order = onB.Queue.Select(q => q.ParticipantId).ToList();
            Assert.Equal(8, order.Distinct().Count());
            for (var i = 0; i < delegates.Count; i++)
            {
                Assert.Equal(delegates[i].Id, answers[i].Queue[^1].ParticipantId);
                Assert.Equal(order.IndexOf(delegates[i].Id), answers[i].Queue.Count - 1);
            }

            Assert.Equal(order, again.Queue.Select(q => q.ParticipantId));
            Assert.Equal($"Delegate {delegates.FindIndex(d => d.Id == order[0])}", onB.Queue[0].DisplayName);
            await delegates[1].Client.WaitForAsync(c => c.LatestSpeakers?.Queue.Count == 8, "the coalesced list on node B");

            // A participant cannot give the floor; the chair gives it to the first, then the next, in the list's order.
            var refused = await Assert.ThrowsAsync<HubException>(() => delegates[1].Client.InvokeAsync<SpeakersView>(nameof(MeetingHub.NextSpeaker)));
            var first = await chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.NextSpeaker));
            var floorOnB = await delegates[1].Client.InvokeAsync<FloorView>(nameof(MeetingHub.GetFloor));
            Assert.Equal(order[0], first.CurrentSpeakerId);
            Assert.Equal(order.Skip(1), first.Queue.Select(q => q.ParticipantId));
            Assert.Equal([order[0]], floorOnB.Speakers);
            Assert.NotNull(Assert.Single(first.Times).SpeakingSinceUnixMs);

            // Let the first speak at least 50 ms of the hub's time (asking the hub, not sleeping).
            var since = first.Times[0].SpeakingSinceUnixMs!.Value;
            for (var attempt = 0; attempt < 200 && (await chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.GetSpeakers))).ServerNowUnixMs - since < 50; attempt++)
            {
            }

            var second = await chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.NextSpeaker));
            var withdrawn = await delegates.Single(d => d.Id == order[2]).Client.InvokeAsync<SpeakersView>(nameof(MeetingHub.WithdrawFromSpeakers));
            var chosen = await chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.GiveFloorTo), order[7]);
            var floor = await chair.InvokeAsync<FloorView>(nameof(MeetingHub.GetFloor));

            Assert.Equal(order[1], second.CurrentSpeakerId);
            var firstTime = second.Times.Single(t => t.ParticipantId == order[0]);
            Assert.Null(firstTime.SpeakingSinceUnixMs);
            Assert.Equal(1, firstTime.Turns);
            Assert.InRange(firstTime.TotalMs, 50, 60_000);
            Assert.Equal(order.Skip(3), withdrawn.Queue.Select(q => q.ParticipantId));
            Assert.Equal(order[7], chosen.CurrentSpeakerId);
            Assert.Equal([order[7]], floor.Speakers);
            Assert.Equal(3, chosen.Times.Count);

            // A per-speaker limit for everyone to see; out of range is refused.
            var limited = await chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.SetSpeakerTimeLimit), 120);
            var badLimit = await Assert.ThrowsAsync<HubException>(() => chair.InvokeAsync<SpeakersView>(nameof(MeetingHub.SetSpeakerTimeLimit), 3_601));
            await delegates[1].Client.WaitForAsync(c => c.LatestSpeakers?.TimeLimitSeconds == 120 && c.LatestSpeakers.CurrentSpeakerId == order[7], "the limit and the chosen speaker on node B");
            Assert.Equal(120, limited.TimeLimitSeconds);

            Assert.Equal("conflict: No one is waiting on the list of speakers.", empty.Reason());
            Assert.Equal("forbidden: Only a moderator may give the floor to the next speaker.", refused.Reason());
            Assert.Equal("invalid_input: seconds must be 0 (no limit) to 3600; it was 3601.", badLimit.Reason());

            // Speaking times are in the export (CSV here; the JSON has them as speakers).
            using var http = cluster.B.CreateHttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export/speakers.csv", UriKind.Relative));
            request.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
            using var response = await http.SendAsync(request, Cancel);
            var csv = (await response.Content.ReadAsStringAsync(Cancel)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("participant_id,display_name,turns,speaking_ms,speaking_time,speaking_now", csv[0]);
            Assert.Equal(4, csv.Length);
            Assert.Contains(csv, row => row.StartsWith($"{order[0]},Delegate ", StringComparison.Ordinal) && row.EndsWith(",false", StringComparison.Ordinal) && row.Contains(",1,", StringComparison.Ordinal));
            Assert.Contains(csv, row => row.StartsWith($"{order[7]},", StringComparison.Ordinal) && row.EndsWith(",true", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var (client, _) in delegates)
            {
                await client.DisposeAsync();
            }
        }
    }
}
