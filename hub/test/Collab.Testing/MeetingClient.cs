using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.Conferencing.Qa;
using Collab.Hub.Hubs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.Testing;

public enum HubProtocol
{
    Json,
    MessagePack,
}

/// <summary>
/// A real SignalR .NET client of the meeting hub that records every push it receives. Tests wait on conditions over
/// what it recorded (a <see cref="TaskCompletionSource"/> per waiter, re-checked on every push), never on sleeps.
/// </summary>
public sealed class MeetingClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly object _gate = new();
    private readonly List<ChatMessage> _chat = [];
    private readonly List<ChatMessage> _pushed = [];
    private readonly List<PollTally> _tallies = [];
    private readonly List<PollView> _polls = [];
    private readonly List<ParticipantView> _joined = [];
    private readonly List<string> _left = [];
    private readonly List<ParticipantCountView> _counts = [];
    private readonly List<(string SpeakerId, byte[] Batch)> _audio = [];
    private readonly List<FloorView> _floors = [];
    private readonly List<LinkFeedbackView> _feedback = [];
    private readonly List<QuestionView> _questions = [];
    private readonly List<QuestionRemovedView> _questionsRemoved = [];
    private readonly List<QaSettings> _qaSettings = [];
    private readonly List<long> _chatDeleted = [];
    private readonly List<ParticipantView> _updated = [];
    private readonly List<Collab.Conferencing.Participants.SelfView> _self = [];
    private readonly List<Collab.Conferencing.Speakers.SpeakersView> _speakers = [];
    private readonly List<(Func<MeetingClient, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _meetingsEnded;

    private MeetingClient(HubConnection connection)
    {
        Connection = connection;
        connection.OnChatMessageReceived(message => Record(() =>
        {
            _chat.Add(message);
            _pushed.Add(message);
        }));
        connection.OnPollTallyUpdated(tally => Record(() => _tallies.Add(tally)));
        connection.OnPollUpdated(poll => Record(() => _polls.Add(poll)));
        connection.OnParticipantJoined(participant => Record(() => _joined.Add(participant)));
        connection.OnParticipantUpdated(participant => Record(() => _updated.Add(participant)));
        connection.OnSelfUpdated(self => Record(() => _self.Add(self)));
        connection.OnSpeakersUpdated(speakers => Record(() => _speakers.Add(speakers)));
        connection.OnParticipantLeft(participantId => Record(() => _left.Add(participantId)));
        connection.OnParticipantCountChanged(count => Record(() => _counts.Add(count)));
        connection.OnMeetingEnded(_ => Record(() => _meetingsEnded++));
        connection.OnAudioReceived((speakerId, batch) => Record(() => _audio.Add((speakerId, batch))));
        connection.OnFloorUpdated(floor => Record(() => _floors.Add(floor)));
        connection.OnLinkFeedback(feedback => Record(() => _feedback.Add(feedback)));
        connection.OnQuestionUpdated(question => Record(() => _questions.Add(question)));
        connection.OnQuestionRemoved(removed => Record(() => _questionsRemoved.Add(removed)));
        connection.OnQaSettingsUpdated(settings => Record(() => _qaSettings.Add(settings)));
        connection.OnChatMessageDeleted(deleted => Record(() => _chatDeleted.Add(deleted.Sequence)));
    }

    public HubConnection Connection { get; }

    /// <summary>
    /// The chat as this client sees it, in arrival order: every push, duplicates included (so tests can prove there are
    /// none), and the messages it sent from their <see cref="SendChatAsync"/> results (the hub does not push the
    /// sender's own connection its message), each sequence once.
    /// </summary>
    public IReadOnlyList<ChatMessage> ChatReceived => Snapshot(_chat);

    /// <summary>Chat pushes only, in arrival order, duplicates included.</summary>
    public IReadOnlyList<ChatMessage> ChatPushed => Snapshot(_pushed);

    public IReadOnlyList<PollTally> TalliesReceived => Snapshot(_tallies);

    public IReadOnlyList<PollView> PollUpdatesReceived => Snapshot(_polls);

    public IReadOnlyList<ParticipantView> JoinedReceived => Snapshot(_joined);

    public IReadOnlyList<string> LeftReceived => Snapshot(_left);

    public IReadOnlyList<ParticipantCountView> CountsReceived => Snapshot(_counts);

    /// <summary>Audio batches in arrival order, with their speaker.</summary>
    public IReadOnlyList<(string SpeakerId, byte[] Batch)> AudioReceived => Snapshot(_audio);

    public IReadOnlyList<FloorView> FloorUpdatesReceived => Snapshot(_floors);

    public IReadOnlyList<LinkFeedbackView> LinkFeedbackReceived => Snapshot(_feedback);

    /// <summary>Question pushes in arrival order (coalesced vote changes included).</summary>
    public IReadOnlyList<QuestionView> QuestionsReceived => Snapshot(_questions);

    public IReadOnlyList<QuestionRemovedView> QuestionsRemovedReceived => Snapshot(_questionsRemoved);

    public IReadOnlyList<QaSettings> QaSettingsReceived => Snapshot(_qaSettings);

    /// <summary>Sequences of the chat messages a moderator deleted, as pushed.</summary>
    public IReadOnlyList<long> ChatDeletedReceived => Snapshot(_chatDeleted);

    public IReadOnlyList<ParticipantView> UpdatedReceived => Snapshot(_updated);

    /// <summary>This connection's own name and role changes, as the node serving it applied them.</summary>
    public IReadOnlyList<Collab.Conferencing.Participants.SelfView> SelfReceived => Snapshot(_self);

    /// <summary>The newest list of speakers pushed (null when none was).</summary>
    public Collab.Conferencing.Speakers.SpeakersView? LatestSpeakers => Snapshot(_speakers).MaxBy(s => s.Version);

    /// <summary>The newest version of one question among those pushed (null when none was).</summary>
    public QuestionView? LatestQuestion(string questionId) =>
        QuestionsReceived.Where(q => q.QuestionId == questionId).MaxBy(q => q.Version);

    public int MeetingEndedReceived
    {
        get
        {
            lock (_gate)
            {
                return _meetingsEnded;
            }
        }
    }

    /// <summary>Connects through the one .NET client (<see cref="MeetingHubConnection"/>) as a test needs it.</summary>
    public static async Task<MeetingClient> ConnectAsync(Uri hostAddress, HubProtocol protocol = HubProtocol.Json, HttpTransportType transport = HttpTransportType.WebSockets, CancellationToken cancellationToken = default, IRetryPolicy? reconnect = null, bool statefulReconnect = false, Action<HttpConnectionOptions>? configure = null)
    {
        var client = new MeetingClient(MeetingHubConnection.Build(hostAddress, new MeetingConnectionOptions
        {
            Protocol = protocol == HubProtocol.MessagePack ? MeetingHubProtocol.MessagePack : MeetingHubProtocol.Json,
            Transports = transport,
            Reconnect = reconnect,
            StatefulReconnect = statefulReconnect,
            ConfigureHttp = configure,
        }));
        await client.Connection.StartAsync(cancellationToken).WaitAsync(DefaultTimeout, cancellationToken);
        return client;
    }

    public Task<T> InvokeAsync<T>(string method, params object?[] arguments) =>
        Connection.InvokeCoreAsync<T>(method, arguments, TestContext.Current.CancellationToken).WaitAsync(DefaultTimeout, TestContext.Current.CancellationToken);

    public Task InvokeAsync(string method, params object?[] arguments) =>
        Connection.InvokeCoreAsync(method, arguments, TestContext.Current.CancellationToken).WaitAsync(DefaultTimeout, TestContext.Current.CancellationToken);

    public Task<JoinResult> JoinAsync(JoinRequest request) => InvokeAsync<JoinResult>(nameof(IMeetingHub.Join), request);

    /// <summary>Sends, and shows the stored message from the result (once per sequence, as a client merges by sequence).</summary>
    public async Task<ChatMessage> SendChatAsync(string clientMessageId, string text)
    {
        var message = await InvokeAsync<ChatMessage>(nameof(IMeetingHub.SendChat), new SendChatRequest(clientMessageId, text));
        Record(() =>
        {
            if (!_chat.Exists(seen => seen.Sequence == message.Sequence && seen.ClientMessageId == message.ClientMessageId && seen.ParticipantId == message.ParticipantId))
            {
                _chat.Add(message);
            }
        });
        return message;
    }

    /// <summary>Completes when <paramref name="condition"/> holds over what this client recorded; fails after the timeout naming <paramref name="what"/>.</summary>
    public async Task WaitForAsync(Func<MeetingClient, bool> condition, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout ?? DefaultTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private IReadOnlyList<T> Snapshot<T>(List<T> items)
    {
        lock (_gate)
        {
            return [.. items];
        }
    }

    private void Record(Action change)
    {
        List<TaskCompletionSource> completed = [];
        lock (_gate)
        {
            change();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(this))
                {
                    completed.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        completed.ForEach(done => done.TrySetResult());
    }
}
