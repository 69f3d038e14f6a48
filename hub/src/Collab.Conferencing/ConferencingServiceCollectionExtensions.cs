using Collab.Conferencing.Audio;
using Collab.Conferencing.Export;
using Collab.Conferencing.Identity;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Qa;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing;

public static class ConferencingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the conferencing services with in-memory stores (a single node). A shared store layer
    /// (<c>AddCollabConferencingRedis</c>) replaces the stores. The host supplies <see cref="IMeetingNotifier"/>, <see cref="ILobbyNotifier"/>, <see cref="IQaNotifier"/>, <see cref="IAudioSink"/>, <see cref="Participants.IParticipantChangeNotifier"/>, <see cref="Speakers.ISpeakersNotifier"/>
    /// and an <see cref="System.Diagnostics.Metrics.IMeterFactory"/> (ASP.NET Core registers one).
    /// </summary>
    public static IServiceCollection AddCollabConferencing(this IServiceCollection services)
    {
        services.AddOptions<ConferencingOptions>()
            .BindConfiguration(ConferencingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConferencingOptions>, PresenceOptionsValidator>());

        services.AddOptions<LobbyOptions>()
            .BindConfiguration(LobbyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<AudioOptions>()
            .BindConfiguration(AudioOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMeetingStore, InMemoryMeetingStore>();
        services.TryAddSingleton<IChatStore, InMemoryChatStore>();
        services.TryAddSingleton<IPollStore, InMemoryPollStore>();
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.TryAddSingleton<IJoinAttemptStore, InMemoryJoinAttemptStore>();
        services.TryAddSingleton<IRateLimitStore, InMemoryRateLimitStore>();
        services.TryAddSingleton<IMeetingLifecycleStore, InMemoryMeetingLifecycleStore>();
        // The in-memory stores drop an ended meeting's data after its retention (a shared store layer removes this).
        services.AddSingleton<IMeetingEviction, InMemoryMeetingEviction>();
        services.TryAddSingleton<IFloorStore, InMemoryFloorStore>();
        services.TryAddSingleton<IQuestionStore, InMemoryQuestionStore>();
        services.TryAddSingleton<IAudioBus, LocalAudioBus>();
        services.TryAddSingleton<ILobbyStore, InMemoryLobbyStore>();
        services.TryAddSingleton<IAccessSignals, LocalAccessSignals>();
        services.TryAddSingleton<Speakers.ISpeakerStore, Speakers.InMemorySpeakerStore>();
        services.TryAddSingleton<Rooms.IRoomStore, Rooms.InMemoryRoomStore>();
        services.TryAddSingleton<Rooms.IRoomSignals, Rooms.LocalRoomSignals>();

        services.TryAddSingleton<ConferencingMetrics>();
        services.TryAddSingleton<Pushes.BestEffortPushes>();
        services.TryAddSingleton<Pushes.MeetingPushes>();
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<ResumeTokens>();
        services.TryAddSingleton<JoinCodeThrottle>();
        services.TryAddSingleton<ParticipantRateLimiter>();
        services.TryAddSingleton<MeetingGuard>();
        services.TryAddSingleton<TallyCoalescer>();
        services.TryAddSingleton<ParticipantCountCoalescer>();
        services.TryAddSingleton<PresenceService>();
        services.TryAddSingleton<ChatService>();
        services.TryAddSingleton<PollService>();
        services.TryAddSingleton<MeetingService>();
        services.TryAddSingleton<ExportService>();
        services.TryAddSingleton<QaMetrics>();
        services.TryAddSingleton<QuestionVoteCoalescer>();
        services.TryAddSingleton<QaService>();
        services.TryAddSingleton<Moderation.ModerationService>();
        services.TryAddSingleton<AudioMetrics>();
        services.TryAddSingleton<FloorCache>();
        services.TryAddSingleton<FloorService>();
        services.TryAddSingleton<AudioRelay>();
        services.AddSingleton<IMembershipObserver>(provider => provider.GetRequiredService<AudioRelay>());
        services.AddSingleton<IMembershipObserver>(provider => provider.GetRequiredService<FloorService>());
        services.AddSingleton<IMeetingEndObserver>(provider => provider.GetRequiredService<FloorService>());
        services.TryAddSingleton<WaitingRoom>();
        services.TryAddSingleton<LobbyService>();
        services.AddSingleton<IMeetingEndObserver>(provider => provider.GetRequiredService<LobbyService>());
        services.TryAddSingleton<ParticipantRemoval>();
        services.AddHostedService(provider => provider.GetRequiredService<ParticipantRemoval>());
        Rooms.RoomServiceCollectionExtensions.AddCollabRooms(services);
        services.TryAddSingleton<MeetingLifecycleService>();
        services.AddHostedService(provider => provider.GetRequiredService<MeetingLifecycleService>());
        services.TryAddSingleton<Participants.ParticipantChangeService>();
        services.AddHostedService(provider => provider.GetRequiredService<Participants.ParticipantChangeService>());
        services.TryAddSingleton<Speakers.SpeakersPushes>();
        services.TryAddSingleton<Speakers.SpeakingTimeRecorder>();
        services.AddSingleton<IFloorObserver>(provider => provider.GetRequiredService<Speakers.SpeakingTimeRecorder>());
        services.AddSingleton<Participants.IParticipantChangeObserver>(provider => provider.GetRequiredService<Speakers.SpeakingTimeRecorder>());
        services.TryAddSingleton<Speakers.SpeakersService>();
        services.AddHostedService<PresenceHeartbeatService>();
        services.AddHostedService<LinkFeedbackService>();
        return services;
    }
}
