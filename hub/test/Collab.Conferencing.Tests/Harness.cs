using Collab.Conferencing.Export;
using Collab.Conferencing.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests;

/// <summary>The conferencing services wired as in the host, with in-memory stores, a fake clock and a recording notifier.</summary>
internal sealed class Harness : IDisposable
{
    private readonly ServiceProvider _provider;
    private int _connections;

    public Harness(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{ConferencingOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IMeetingNotifier>(Notifier)
            .AddSingleton<Lobby.ILobbyNotifier>(LobbyNotifier)
            .AddSingleton<Qa.IQaNotifier>(QaNotifier)
            .AddSingleton<Moderation.IModerationNotifier>(QaNotifier)
            .AddSingleton<Audio.IAudioSink>(AudioSink)
            .AddSingleton<Participants.IParticipantChangeNotifier>(ParticipantNotifier)
            .AddSingleton<Speakers.ISpeakersNotifier>(ParticipantNotifier)
            .AddSingleton<Rooms.IRoomNotifier>(RoomNotifier);
        services.AddCollabConferencing();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    public RecordingNotifier Notifier { get; } = new();

    public RecordingLobbyNotifier LobbyNotifier { get; } = new();

    public RecordingAudioSink AudioSink { get; } = new();

    public RecordingQaNotifier QaNotifier { get; } = new();

    public RecordingParticipantNotifier ParticipantNotifier { get; } = new();

    public RecordingRoomNotifier RoomNotifier { get; } = new();

    public Rooms.RoomService Rooms => _provider.GetRequiredService<Rooms.RoomService>();

    public Qa.QaService Qa => _provider.GetRequiredService<Qa.QaService>();

    public MeetingService Meetings => _provider.GetRequiredService<MeetingService>();

    public IServiceProvider Services => _provider;

    public Collab.Conferencing.Meetings.IMeetingStore MeetingStore => _provider.GetRequiredService<Collab.Conferencing.Meetings.IMeetingStore>();

    public Collab.Conferencing.Chat.IChatStore ChatStore => _provider.GetRequiredService<Collab.Conferencing.Chat.IChatStore>();

    public Collab.Conferencing.Polls.IPollStore PollStore => _provider.GetRequiredService<Collab.Conferencing.Polls.IPollStore>();

    public ChatService Chat => _provider.GetRequiredService<ChatService>();

    public PollService Polls => _provider.GetRequiredService<PollService>();

    public PresenceService Presence => _provider.GetRequiredService<PresenceService>();

    public ExportService Export => _provider.GetRequiredService<ExportService>();

    public System.Diagnostics.Metrics.IMeterFactory MeterFactory => _provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public Conferencing.Presence.IPresenceStore PresenceStore => _provider.GetRequiredService<Conferencing.Presence.IPresenceStore>();

    public ConnectionRegistry Registry => _provider.GetRequiredService<ConnectionRegistry>();

    public ParticipantRateLimiter RateLimiter => _provider.GetRequiredService<ParticipantRateLimiter>();

    public ConferencingOptions Options => _provider.GetRequiredService<IOptions<ConferencingOptions>>().Value;

    public string NewConnectionId() => $"conn-{Interlocked.Increment(ref _connections)}";

    public Task<CreatedMeeting> CreateMeetingAsync(string title = "Town hall") => Meetings.CreateAsync(new CreateMeetingRequest(title));

    /// <summary>Joins on a new connection; returns the connection id and the join result.</summary>
    public async Task<(string ConnectionId, JoinResult Join)> JoinAsync(CreatedMeeting meeting, string name, bool moderator = false)
    {
        var connectionId = NewConnectionId();
        var request = moderator
            ? new JoinRequest(meeting.MeetingId, name, ModeratorKey: meeting.ModeratorKey)
            : new JoinRequest(meeting.MeetingId, name, JoinCode: meeting.JoinCode);
        return (connectionId, await Meetings.JoinAsync(connectionId, request));
    }

    public void Dispose() => _provider.Dispose();
}

/// <summary>Records participant changes and list-of-speakers pushes.</summary>
internal sealed class RecordingParticipantNotifier : Participants.IParticipantChangeNotifier, Speakers.ISpeakersNotifier
{
    public System.Collections.Concurrent.ConcurrentQueue<(string ConnectionId, Participants.SelfView Self)> Self { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<Speakers.SpeakersView> Speakers { get; } = new();

    public Task SetModeratorAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SelfUpdatedAsync(string connectionId, Participants.SelfView self, CancellationToken cancellationToken = default)
    {
        Self.Enqueue((connectionId, self));
        return Task.CompletedTask;
    }

    public Task SpeakersUpdatedAsync(string meetingId, Speakers.SpeakersView speakers, CancellationToken cancellationToken = default)
    {
        Speakers.Enqueue(speakers);
        return Task.CompletedTask;
    }
}
