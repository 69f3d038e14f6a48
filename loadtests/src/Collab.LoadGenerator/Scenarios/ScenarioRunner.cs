using System.Net;
using Collab.Codec.Audio;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.Conferencing.Qa;
using Collab.LoadGenerator.Hosting;
using Collab.LoadGenerator.Impairment;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// Runs one scenario against a set of hub URLs: every participant connects through its own impairment proxy (for
/// loopback targets), the moderator runs polls, speakers publish real Opus with the link adapter live, everyone chats
/// at the scenario's rate; at the end every participant catches up and the results are checked against the SLOs.
/// Bounded: the run stops at its duration plus a drain of at most 30 s for the chat, 10 s for the final reads and 10 s to close.
/// </summary>
internal sealed partial class ScenarioRunner(ScenarioSettings settings, IReadOnlyList<Uri> hubs, Action<string> progress, Func<Task>? killOneNode = null, ServerMonitor? servers = null, KernelLinks? kernel = null)
{
    /// <summary>Room in the per-second series beyond the run's duration: joining before it, draining after it.</summary>
    private static readonly TimeSpan s_seriesSlack = TimeSpan.FromMinutes(3);

    /// <summary>The chat catch-up at the end of the run: every participant within this, together.</summary>
    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(30);

    /// <summary>The moderator's final reads, the server monitor's stop and closing the connections, each within this.</summary>
    private static readonly TimeSpan s_readLimit = TimeSpan.FromSeconds(10);

    private readonly RunStatistics _stats = new((int)(settings.Duration + s_seriesSlack).TotalSeconds, settings.Speakers);
    private readonly List<ImpairmentProxy> _proxies = [];
    private readonly List<DatagramImpairment> _relays = [];
    private readonly List<VirtualParticipant> _participants = [];

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            var meeting = await MeetingApi.CreateAsync(hubs[0], "Load test", cancellationToken);
            var moderator = await VirtualParticipant.JoinAsync(-1, hubs, 0, hub => new ParticipantLink(hub), meeting, _stats, moderator: true, cancellationToken, settings.SeparateScreenCalls);
            lock (_participants)
            {
                _participants.Add(moderator);
            }

            await moderator.SetAudioReceiveAsync(false, cancellationToken);
            if (settings.Speakers > 0)
            {
                await moderator.Connection.SetFloorModeAsync(new SetFloorModeRequest(FloorMode.OpenMic, Math.Min(10, settings.Speakers)), cancellationToken);
            }

            _stats.Participants = settings.Participants;
            if (!settings.Profiles.AllGood && hubs.Any(hub => !IsLoopback(hub)))
            {
                progress($"warning: the '{settings.Profiles.Name}' impairment applies only to loopback hubs; links to {string.Join(", ", hubs.Where(hub => !IsLoopback(hub)))} run unimpaired (run the tool on the hub's host against 127.0.0.1 to impair them)");
            }

            progress($"meeting {meeting.MeetingId}: joining {settings.Participants} participants through '{settings.Profiles.Name}' links");
            var crowd = await JoinCrowdAsync(meeting, cancellationToken);
            progress($"{crowd.Count} joined; running {settings.Scenario} for {settings.Duration.TotalSeconds:0} s");
            if (settings.Speakers > 0 && settings.VoicePath != Collab.Conferencing.Client.VoicePathChoice.SignalR)
            {
                await Task.WhenAll(crowd.Select(participant => participant.OpenVoiceAsync(settings.VoicePath, DatagramRoute(participant.Index), cancellationToken)));
                progress($"voice path {settings.VoicePath.ToString().ToLowerInvariant()}: a voice channel per participant{(settings.Profiles.AllGood ? "" : kernel is null ? $"; voice datagrams cross the '{settings.Profiles.Name}' links too (lost datagrams are lost; the caps are their own)" : "; in kernel mode voice datagrams go unimpaired (the channel's socket is not in the participant's namespace)")}");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(settings.Duration);
            using var monitoring = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var monitor = servers?.RunAsync(() => _stats.NowMilliseconds / 1000, monitoring.Token) ?? Task.CompletedTask;
            var work = new List<Task> { RunPollsAsync(moderator, stop.Token), ReportProgressAsync(stop.Token) };
            if (settings.QuestionInterval is { } questionInterval)
            {
                work.Add(RunQuestionsAsync(moderator, questionInterval, stop.Token));
            }

            if (settings.SpeakerTurn is { } turn)
            {
                work.Add(RunSpeakersAsync(moderator, crowd, turn, stop.Token));
            }

            if (settings.KillNodeHalfway)
            {
                work.Add(KillNodeHalfwayAsync(stop.Token));
            }

            if (settings.Rooms)
            {
                work.Add(new Rooms.RoomPhase(settings, _stats, progress).RunAsync(moderator, crowd, stop.Token));
            }
            var speech = WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav"));
            work.AddRange(crowd.Take(settings.Speakers).Select((speaker, index) => new VirtualSpeaker(speaker, index, _stats, speech).RunAsync(stop.Token)));
            if (settings.ChatMessagesPerParticipantPerSecond > 0)
            {
                work.AddRange(crowd.Select(participant => ChatAsync(participant, stop.Token)));
            }

            var playouts = settings.Speakers == 0 ? [] : crowd.Skip(settings.Speakers).Take(settings.DecodingListeners).Select(listener => (Listener: listener, Playout: listener.EnablePlayout())).ToList();
            work.AddRange(playouts.Select(p => p.Playout.RunAsync(() => p.Listener.Connection, stop.Token)));

            await Task.WhenAll(work);
            foreach (var (participant, index) in crowd.Select((participant, index) => (participant, index)))
            {
                var onPath = _stats.Paths.For(participant.VoicePath);
                if (index < settings.Speakers)
                {
                    onPath.Speaker();
                }
                else if (!participant.IsModerator)
                {
                    onPath.Listener();
                }
            }

            foreach (var (_, playout) in playouts)
            {
                playout.Record();
                playout.Dispose();
            }

            progress("draining: every participant catches up the chat");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var behind = await BoundedDrain.RunAsync([.. crowd.Select(participant => (Func<CancellationToken, Task>)(token => CatchUpQuietlyAsync(participant, token)))], s_drainLimit, cancellationToken);
            if (behind > 0)
            {
                _stats.Error("final catch-up", new TimeoutException($"{behind} participants had not caught up the chat within {s_drainLimit.TotalSeconds:0} s"));
            }

            var reads = new List<Func<CancellationToken, Task>>();
            if (settings.QuestionInterval is not null)
            {
                reads.Add(token => ReadQuestionCountsAsync(moderator, token));
            }

            if (settings.SpeakerTurn is not null)
            {
                reads.Add(token => ReadSpeakingTimeAsync(moderator, token));
            }

            if (await BoundedDrain.RunAsync(reads, s_readLimit, cancellationToken) > 0)
            {
                _stats.Error("final reads", new TimeoutException($"the moderator's final reads did not finish within {s_readLimit.TotalSeconds:0} s"));
            }

            await monitoring.CancelAsync();
            await BoundedDrain.RunAsync([_ => monitor], s_readLimit, CancellationToken.None);
            return RunResult.From(settings, hubs.Count, _stats, startedAt, _proxies.Sum(p => p.ResetCount), servers?.Series() ?? []);
        }
        finally
        {
            // Closing is bounded too: a connection whose link carries nothing any more must not hold the run open.
            await BoundedDrain.RunAsync([.. _participants.Select(participant => (Func<CancellationToken, Task>)(_ => participant.DisposeAsync().AsTask()))], s_readLimit, CancellationToken.None);

            foreach (var proxy in _proxies)
            {
                await proxy.DisposeAsync();
            }

            foreach (var relay in _relays)
            {
                await relay.DisposeAsync();
            }
        }
    }

    private async Task<List<VirtualParticipant>> JoinCrowdAsync(CreatedMeeting meeting, CancellationToken cancellationToken)
    {
        var crowd = new VirtualParticipant[settings.Participants];
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, settings.Participants).Select(async index =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                crowd[index] = await VirtualParticipant.JoinAsync(index, hubs, index % hubs.Count, hub => Route(hub, index), meeting, _stats, moderator: false, cancellationToken, settings.SeparateScreenCalls);
                await crowd[index].SetAudioReceiveAsync(index >= settings.Speakers, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        lock (_participants)
        {
            _participants.AddRange(crowd);
        }

        return [.. crowd];
    }

    /// <summary>
    /// How a participant reaches a hub: through its own impairment proxy for loopback hubs on a degraded profile, and
    /// in kernel mode from its own network namespace, to a proxy on the run's bridge that adds what the kernel does not.
    /// </summary>
    private ParticipantLink Route(Uri hub, int participant)
    {
        var profile = settings.Profiles.For(participant);
        if ((profile == NetworkProfile.Good && kernel is null) || !IsLoopback(hub))
        {
            return new ParticipantLink(hub);
        }

        var proxy = kernel is null
            ? new ImpairmentProxy(hub, profile, settings.Seed + participant)
            : new ImpairmentProxy(hub, kernel.ProxyPart(profile), settings.Seed + participant, kernel.BridgeAddress);
        lock (_proxies)
        {
            _proxies.Add(proxy);
        }

        return new ParticipantLink(proxy.Address, kernel?.NamespaceOf(participant));
    }

    /// <summary>
    /// How a participant's voice datagrams reach the hub: through its own <see cref="DatagramImpairment"/> playing the
    /// participant's profile (user-space links only), or directly.
    /// </summary>
    private Func<System.Net.IPEndPoint, System.Net.IPEndPoint>? DatagramRoute(int participant)
    {
        var profile = settings.Profiles.For(participant);
        if (profile == NetworkProfile.Good || kernel is not null)
        {
            return null;
        }

        return target =>
        {
            if (!System.Net.IPAddress.IsLoopback(target.Address))
            {
                return target;
            }

            var relay = new DatagramImpairment(target, profile, settings.Seed + participant + 7_919);
            lock (_proxies)
            {
                _relays.Add(relay);
            }

            return relay.EndPoint;
        };
    }

    private async Task RunPollsAsync(VirtualParticipant moderator, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        var number = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var poll = await moderator.Connection.CreatePollAsync(new CreatePollRequest($"Question {++number}?", ["Yes", "No", "Abstain"]), stop);
                _stats.PollOpenedAt[poll.PollId] = _stats.NowMilliseconds;
                await moderator.Connection.OpenPollAsync(poll.PollId, stop);
                _stats.ExpectedTallies.TryAdd(poll.PollId, 0);
                await Task.Delay(settings.PollInterval / 2, stop);
                await moderator.Connection.ClosePollAsync(poll.PollId, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; a poll still open is closed below.
        }

        foreach (var pollId in _stats.ExpectedTallies.Keys.Where(id => !_stats.FinalTallies.ContainsKey(id)))
        {
            await moderator.Connection.ClosePollAsync(pollId, CancellationToken.None);
        }
    }

    /// <summary>qa-burst: the moderator asks a question every interval; every participant upvotes it as it arrives.</summary>
    private async Task RunQuestionsAsync(VirtualParticipant moderator, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        var number = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var text = $"Question {++number} from the floor?";
                _stats.Qa.AskStartedAt[text] = _stats.NowMilliseconds;
                var question = await moderator.Connection.AskQuestionAsync(new AskQuestionRequest($"load-{number}", text), stop);
                _stats.Qa.AskedAt[question.QuestionId] = _stats.Qa.AskStartedAt[text];
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>After the drain: each question's count as the hub holds it, to check against the confirmed upvotes.</summary>
    private async Task ReadQuestionCountsAsync(VirtualParticipant moderator, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var snapshot = await moderator.Connection.GetQuestionsAsync(cancellationToken);
        foreach (var question in snapshot.Questions)
        {
            _stats.Qa.FinalVotes[question.QuestionId] = question.Votes;
        }
    }

    private async Task ChatAsync(VirtualParticipant participant, CancellationToken stop)
    {
        var random = new Random(settings.Seed + participant.Index);
        var number = 0;
        try
        {
            // A random phase so a thousand participants do not all send on the same tick.
            await Task.Delay(TimeSpan.FromSeconds(random.NextDouble() / settings.ChatMessagesPerParticipantPerSecond), stop);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.ChatMessagesPerParticipantPerSecond));
            do
            {
                await participant.SendChatAsync(number++, stop);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>reconnect-storm: half-way through, one spawned hub node is killed; its participants must land on the others and catch up.</summary>
    private async Task KillNodeHalfwayAsync(CancellationToken stop)
    {
        if (killOneNode is null)
        {
            throw new InvalidOperationException("reconnect-storm kills a hub node, so it needs --spawn with at least 2 nodes.");
        }

        try
        {
            await Task.Delay(settings.Duration / 2, stop);
            progress("killing hub node 2 of the deployment");
            await killOneNode();
        }
        catch (OperationCanceledException)
        {
            // The run ended first.
        }
    }

    /// <summary>The run so far, for the live display and the progress lines.</summary>
    public RunProgress Snapshot()
    {
        var (expected, delivered) = _stats.ChatSoFar;
        int connected;
        lock (_participants)
        {
            connected = _participants.Count(p => p.Connection.State == HubConnectionState.Connected);
        }

        return new RunProgress(_stats.NowMilliseconds / 1000, settings.Duration.TotalSeconds, connected, settings.Participants + 1, expected, delivered, _stats.Votes, _stats.AudioPackets, _stats.AudioLost, _stats.ReconnectSeconds.Count, _stats.Errors);
    }

    private async Task ReportProgressAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                progress(Snapshot().Line);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>Waits (within the drain) for a participant cut off at the end of the run to reconnect, then catches it up.</summary>
    private async Task CatchUpQuietlyAsync(VirtualParticipant participant, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                await participant.WaitConnectedAsync(cancellationToken);
                await participant.CatchUpAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException && attempt < 4)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _stats.Error("final catch-up", exception);
            }
        }
    }

    private static bool IsLoopback(Uri hub) => hub.IsLoopback || (IPAddress.TryParse(hub.Host, out var address) && IPAddress.IsLoopback(address));
}
