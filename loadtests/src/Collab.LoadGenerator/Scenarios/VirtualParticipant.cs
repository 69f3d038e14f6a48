using System.Diagnostics;
using Collab.Codec.Packets;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.LoadGenerator.Impairment;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// One simulated participant over the real SignalR .NET client (MessagePack), following hub/PROTOCOL.md: join, keep
/// chat in sequence order (catching up with <c>GetChatSince</c> after every reconnect), vote in open polls, and count
/// the audio it hears by sequence numbers. Reconnects never give up during the run (jittered backoff) and rejoin with
/// the resume token.
/// </summary>
internal sealed partial class VirtualParticipant : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _chat = [];
    private readonly HashSet<string> _voted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ushort> _lastAudioSequence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _recentAudio = new(StringComparer.Ordinal);
    private Collab.Conferencing.Client.VoiceDatagramChannel? _voice;
    private HubConnection? _voiceConnection;
    private Uri? _address;
    private readonly RunStatistics _stats;
    private readonly Random _random;
    private string? _resumeToken;
    private ListenerPlayout? _playout;
    private long _contiguous;

    private static readonly TimeSpan s_failoverAfter = TimeSpan.FromSeconds(3);
    private readonly IReadOnlyList<Uri> _hubs;
    private readonly Func<Uri, ParticipantLink> _route;
    private int _hubIndex;
    private bool _disposed;

    private VirtualParticipant(int index, IReadOnlyList<Uri> hubs, int hubIndex, Func<Uri, ParticipantLink> route, CreatedMeeting meeting, RunStatistics stats, bool moderator)
    {
        Index = index;
        Meeting = meeting;
        IsModerator = moderator;
        _stats = stats;
        _random = new Random(index);
        _hubs = hubs;
        _hubIndex = hubIndex;
        _route = route;
        Connection = Build(route(hubs[hubIndex]));
    }

    public int Index { get; }

    /// <summary>The path this participant's voice takes now (SignalR without a voice channel).</summary>
    public string VoicePath => _voice?.VoicePath ?? Collab.Conferencing.Voice.VoicePaths.SignalR;

    /// <summary>The current connection; replaced when the participant fails over to another hub node.</summary>
    public HubConnection Connection { get; private set; }

    public CreatedMeeting Meeting { get; }

    public bool IsModerator { get; }

    public string ParticipantId { get; private set; } = string.Empty;

    /// <summary>
    /// Connects to <paramref name="hubs"/>[<paramref name="hubIndex"/>] (through <paramref name="route"/>, which may put an
    /// impairment proxy in between) and joins. When its node stays unreachable for 3 s, the participant fails over to the
    /// next node and rejoins with its resume token.
    /// </summary>
    public static async Task<VirtualParticipant> JoinAsync(int index, IReadOnlyList<Uri> hubs, int hubIndex, Func<Uri, ParticipantLink> route, CreatedMeeting meeting, RunStatistics stats, bool moderator, CancellationToken cancellationToken, bool separateScreenCalls = false)
    {
        var participant = new VirtualParticipant(index, hubs, hubIndex, route, meeting, stats, moderator);
        var connection = participant.Connection;
        await connection.StartAsync(cancellationToken);

        // Join to a complete meeting screen: the join carries the history page and the floor; from a hub that does not
        // (or with separateScreenCalls, as clients did before), the screen takes three more calls in turn.
        var started = Stopwatch.GetTimestamp();
        var join = await connection.JoinAsync(new JoinRequest(meeting.MeetingId, moderator ? "Moderator" : $"P{index}", JoinCode: moderator ? null : meeting.JoinCode, ModeratorKey: moderator ? meeting.ModeratorKey : null), cancellationToken);
        var history = separateScreenCalls ? null : join.ChatHistory;
        if (history is null)
        {
            history = await connection.GetChatHistoryAsync(null, 100, cancellationToken);
            await connection.GetChatSinceAsync(history.LastSequence, 200, cancellationToken);
        }

        if (separateScreenCalls || join.Floor is null)
        {
            await connection.GetFloorAsync(cancellationToken);
        }

        stats.JoinedScreen(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        participant.ParticipantId = join.ParticipantId;
        participant._resumeToken = join.ResumeToken;
        lock (participant._gate)
        {
            participant._contiguous = Math.Max(participant._contiguous, join.LastChatSequence);
            participant.AdvanceContiguous();
        }

        return participant;
    }

    /// <summary>Makes this listener one of the sample that runs the full receive path (jitter buffer, decode, reports).</summary>
    public ListenerPlayout EnablePlayout() => _playout = new ListenerPlayout(_stats, () => VoicePath);

    /// <summary>
    /// Opens a voice datagram channel on the current connection (hub/PROTOCOL.md, "Voice datagrams"): audio heard by
    /// datagram joins what SignalR pushes, and <see cref="PublishAudioAsync"/> publishes by the channel's path. A node
    /// that takes no datagrams leaves the participant on SignalR.
    /// </summary>
    public async Task OpenVoiceAsync(Collab.Conferencing.Client.VoicePathChoice path, Func<System.Net.IPEndPoint, System.Net.IPEndPoint>? route, CancellationToken cancellationToken)
    {
        var connection = Connection;
        try
        {
            var voice = await Collab.Conferencing.Client.VoiceDatagramChannel.OpenAsync(connection, _address!, new Collab.Conferencing.Client.VoiceDatagramChannelOptions { Path = path, Route = route }, cancellationToken);
            // SignalR's copies arrive through this participant's own AudioReceived handler (on whichever connection is current).
            voice.AudioReceived += audio =>
            {
                if (audio.Path == Collab.Conferencing.Voice.VoicePaths.Unreliable)
                {
                    OnAudio(audio.SpeakerId, audio.Batch);
                }
            };
            _voice = voice;
            _voiceConnection = connection;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _stats.Error("opening the voice channel", exception);
        }
    }

    /// <summary>Publishes a batch by the voice channel's path (SignalR after a failover to another node, whose connection has no channel).</summary>
    public Task PublishAudioAsync(byte[] batch, CancellationToken cancellationToken) =>
        _voice is { } voice && _voiceConnection == Connection ? voice.PublishAsync(batch, cancellationToken) : Connection.PublishAudioAsync(batch, cancellationToken);

    public Task SetAudioReceiveAsync(bool receive, CancellationToken cancellationToken) => Connection.SetAudioReceiveAsync(receive, cancellationToken);

    /// <summary>
    /// Sends one chat message and retries it (same client message id, so never twice) through drops and reconnects
    /// until it is acknowledged or the run ends; only acknowledged messages count as sent.
    /// </summary>
    public async Task SendChatAsync(int number, CancellationToken cancellationToken)
    {
        await BeginSendAsync(cancellationToken);
        try
        {
            var clientMessageId = ChatIdFor(number);
            _stats.ChatAttempted(clientMessageId);
            for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await WaitConnectedAsync(cancellationToken);
                    var stored = await Connection.SendChatAsync(new SendChatRequest(clientMessageId, $"message {number} from participant {Index}"), cancellationToken);
                    if (!RoomChatSent(clientMessageId, stored.Sequence))
                    {
                        _stats.ChatSent(stored.Sequence, clientMessageId);
                    }

                    // The hub does not push the sender's own connection its message: the result is its delivery.
                    OnChat(stored, live: false);

                    return;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Not confirmed (a drop, which the client reports as a cancelled call, or Redis away): the same id makes
                    // the retry idempotent.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 200 * (attempt + 1))), cancellationToken);
                }
            }
        }
        finally
        {
            EndSend();
        }
    }

    /// <summary>Waits (bounded by the token) until the automatic reconnect has brought the connection back.</summary>
    public async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (Connection.State != HubConnectionState.Connected)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>
    /// Catches up the chat log from the last sequence up to which nothing is missing (not the highest seen: pushes that
    /// arrive while a reconnect is catching up must not hide the gap before them), after a reconnect and at the end.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var previous = -1L;
        for (var page = 0; page < 1_000; page++)
        {
            var after = CatchUpFrom();
            if (after == previous)
            {
                // A full page that did not move the contiguous mark (a gap the history cannot fill): asking again
                // would return the same page for ever.
                return;
            }

            previous = after;
            var result = await Connection.GetChatSinceAsync(after, 200, cancellationToken);
            foreach (var message in result.Messages)
            {
                OnChat(message, live: false);
            }

            if (result.Messages.Count < 200)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_voice is { } voice)
        {
            await voice.DisposeAsync();
        }

        await Connection.DisposeAsync();
    }

    private HubConnection Build(ParticipantLink link)
    {
        _address = link.Address;
        var connection = MeetingHubConnection.Build(link.Address, new MeetingConnectionOptions
        {
            Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling,
            // The PROTOCOL.md policy, capped at 10 s for a run; seeded per participant so a run's retries repeat.
            Reconnect = new MeetingReconnectPolicy(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), new Random(Index)),
            ServerTimeout = TimeSpan.FromSeconds(60),
            KeepAliveInterval = TimeSpan.FromSeconds(15),
            ConfigureHttp = options =>
            {
                // A small outbound buffer, as a phone's would be: a link that cannot carry the audio makes sends wait
                // (the speaker's backlog, which its link adapter acts on) instead of queueing a megabyte of stale audio.
                options.TransportMaxBufferSize = 16 * 1024;
                if (link.Namespace is { } name)
                {
                    NamespaceSockets.Apply(options, name);
                }
            },
        });
        connection.OnChatMessageReceived(message => OnChat(message, live: true));
        connection.OnPollUpdated(OnPoll);
        connection.OnPollTallyUpdated(OnTally);
        connection.OnQuestionUpdated(OnQuestion);
        connection.OnSpeakersUpdated(OnSpeakers);
        connection.OnAudioReceived(OnAudio);
        connection.OnRoomChanged(OnRoomChanged);
        connection.Reconnected += async _ => await RejoinAsync();
        connection.Reconnecting += error =>
        {
            _ = FailOverIfStuckAsync(connection);
            return Task.CompletedTask;
        };
        return connection;
    }

    /// <summary>If this connection is still down after the failover delay, moves to the next hub node and rejoins there.</summary>
    private async Task FailOverIfStuckAsync(HubConnection stuck)
    {
        if (_hubs.Count < 2)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await Task.Delay(s_failoverAfter);
        for (var attempt = 0; attempt < 20 && !_disposed && Connection == stuck && stuck.State != HubConnectionState.Connected; attempt++)
        {
            _hubIndex = (_hubIndex + 1) % _hubs.Count;
            var next = Build(_route(_hubs[_hubIndex]));
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await next.StartAsync(timeout.Token);
                await next.JoinAsync(new JoinRequest(Meeting.MeetingId, null, ResumeToken: _resumeToken), timeout.Token);
                Connection = next;
                _ = stuck.DisposeAsync().AsTask();
                await CatchUpAsync(timeout.Token);
                _stats.Reconnected(Stopwatch.GetElapsedTime(started).TotalSeconds);
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                await next.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500 * (attempt + 1)));
            }
        }
    }

    private async Task RejoinAsync()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Connection.JoinAsync(new JoinRequest(Meeting.MeetingId, null, ResumeToken: _resumeToken));
            await CatchUpAsync(CancellationToken.None);
            _stats.Reconnected(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _stats.Error("rejoin after reconnect", exception);
        }
    }

    private void OnChat(ChatMessage message, bool live)
    {
        if (RoomChatDelivered(message))
        {
            return;
        }

        lock (_gate)
        {
            _chat.Add(message.Sequence);
            AdvanceContiguous();
        }

        _stats.ChatDelivered(Index, message.Sequence, message.ClientMessageId, live);
    }

    private void AdvanceContiguous()
    {
        while (_chat.Contains(_contiguous + 1))
        {
            _contiguous++;
        }
    }

    private void OnPoll(PollView poll)
    {
        if (IsModerator || poll.State != PollState.Open)
        {
            return;
        }

        lock (_gate)
        {
            if (!_voted.Add(poll.PollId))
            {
                return;
            }
        }

        _stats.PollSeen(poll.PollId);

        var option = _random.Next(poll.Options.Count);
        _ = VoteAsync(poll.PollId, option);
    }

    private async Task VoteAsync(string pollId, int option)
    {
        var uncertain = false;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await WaitConnectedAsync(patience.Token);
                await Connection.VoteAsync(new VoteRequest(pollId, [option]));
                _stats.Vote();
                _stats.ExpectedTallies.AddOrUpdate(pollId, 1, (_, count) => count + 1);
                if (uncertain)
                {
                    _stats.UncertainVotes.AddOrUpdate(pollId, 0, (_, count) => count - 1);
                }

                return;
            }
            catch (HubException refused)
            {
                // A definite refusal (e.g. the poll closed while this participant was cut off): no ballot was counted.
                _stats.Error("vote", refused);
                return;
            }
            catch (Exception)
            {
                // The link dropped mid-call (the client reports it as a failed or cancelled call): the ballot may or may
                // not have been stored; retrying replaces it, never adds.
                if (!uncertain)
                {
                    uncertain = true;
                    _stats.UncertainVotes.AddOrUpdate(pollId, 1, (_, count) => count + 1);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)));
            }
        }
    }

    private void OnTally(PollTally tally)
    {
        if (tally.Final && IsModerator)
        {
            _stats.FinalTallies[tally.PollId] = tally.Voters;
        }
    }

    private void OnAudio(string speakerId, byte[] batch)
    {
        int packets = 0, lost = 0;
        var now = _stats.NowMilliseconds;
        _stats.Speakers.TryGetValue(speakerId, out var spoken);
        lock (_gate)
        {
            foreach (var packet in AudioBatch.Packets(batch))
            {
                if (!AudioPacketFormat.TryReadHeader(packet, out var header, out _))
                {
                    continue;
                }

                if (!FirstCopy(speakerId, header.Sequence))
                {
                    // The same packet by the other path (both carry it while a voice channel switches).
                    continue;
                }

                packets++;
                _playout?.Push(speakerId, packet);
                if (spoken?.SentAt(header.Sequence) is > 0 and var sentAt)
                {
                    _stats.AudioLatencies.Add(now - sentAt);
                }

                if (_lastAudioSequence.TryGetValue(speakerId, out var last))
                {
                    var ahead = (short)(header.Sequence - last);
                    if (ahead <= 0)
                    {
                        // Late (datagrams may reorder): counted lost when the gap opened, so it is not lost after all.
                        lost--;
                        continue;
                    }

                    lost += ahead - 1;
                }

                _lastAudioSequence[speakerId] = header.Sequence;
            }
        }

        _stats.AudioReceived(packets, lost);
    }

    /// <summary>False for a sequence already heard among the speaker's last 64 (under <see cref="_gate"/>).</summary>
    private bool FirstCopy(string speakerId, ushort sequence)
    {
        if (!_lastAudioSequence.TryGetValue(speakerId, out var last))
        {
            _recentAudio[speakerId] = 1;
            return true;
        }

        var ahead = (short)(sequence - last);
        var seen = _recentAudio.GetValueOrDefault(speakerId);
        if (ahead > 0)
        {
            _recentAudio[speakerId] = ahead >= 64 ? 1 : (seen << ahead) | 1;
            return true;
        }

        var bit = 1UL << -ahead;
        if (-ahead >= 64 || (seen & bit) != 0)
        {
            return false;
        }

        _recentAudio[speakerId] = seen | bit;
        return true;
    }
}
