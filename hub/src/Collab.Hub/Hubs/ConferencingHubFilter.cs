using System.Collections.Concurrent;
using System.Reflection;
using Collab.Conferencing;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Lobby;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Hubs;

/// <summary>
/// Cross-cutting rules around every hub call, each in this one place, from the method's attributes
/// (<see cref="HubCallPolicy"/>): an ended meeting accepts only methods marked <see cref="AllowedAfterEndAttribute"/>;
/// participant ids marked <see cref="Collab.Conferencing.Meetings.MeetingParticipantAttribute"/> must belong to the
/// caller's meeting; methods marked <see cref="ParticipantRateLimitAttribute"/> count against the caller's
/// per-participant rate limit; methods marked <see cref="ModeratorOnlyAttribute"/> refuse everyone but moderators; a
/// connection waiting in the lobby may call only methods marked <see cref="AllowedWhileWaitingAttribute"/> (<c>waiting</c>
/// otherwise). A method marked <see cref="ChecksInStoreStepAttribute"/> has the open check and its rate-limit token
/// done in its own store write (one round trip), with the charge computed here. Domain refusals become a <see cref="HubException"/> ("code: reason") so the caller
/// sees why while its connection stays up; they are logged at debug level, without a stack trace (they are the
/// caller's doing, not the hub's fault).
/// </summary>
internal sealed partial class ConferencingHubFilter(
    ConnectionRegistry registry,
    MeetingGuard guard,
    ParticipantRateLimiter rateLimiter,
    ConferencingMetrics metrics,
    WaitingRoom waitingRoom,
    ILogger<ConferencingHubFilter> logger) : IHubFilter
{
    // Read once per hub method: PublishAudio passes through here dozens of times a second per speaker.
    private readonly ConcurrentDictionary<MethodInfo, HubCallPolicy> _policies = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            var policy = _policies.GetOrAdd(invocationContext.HubMethod, HubCallPolicy.For);
            if (registry.Find(invocationContext.Context.ConnectionId) is { } session)
            {
                if (policy.ModeratorAction is { } action)
                {
                    session.RequireModerator(action.Describe(invocationContext.HubMethodArguments));
                }

                if (policy.ChecksInStoreStep)
                {
                    guard.EnsureNotKnownEnded(session);
                }
                else if (!policy.AllowedAfterEnd)
                {
                    await guard.EnsureOpenAsync(session);
                }

                foreach (var participant in policy.Participants)
                {
                    if (participant.TryRead(invocationContext.HubMethodArguments, out var participantId))
                    {
                        await guard.EnsureParticipantAsync(session, participantId, participant.Field);
                    }
                }

                if (policy.RateLimit is { } kind)
                {
                    if (policy.ChecksInStoreStep)
                    {
                        return await StoreStepCharge.RunAsync(rateLimiter.ChargeFor(session, kind), () => next(invocationContext));
                    }

                    await rateLimiter.AcquireAsync(session, kind);
                }
            }
            else if (!policy.AllowedWhileWaiting && waitingRoom.IsWaiting(invocationContext.Context.ConnectionId))
            {
                throw new ConferencingException(ConferencingError.Waiting, "You are waiting in the lobby: a moderator has not admitted you yet.");
            }

            return await next(invocationContext);
        }
        catch (ConferencingException exception)
        {
            metrics.CallRejected(exception.Code);
            CallRejected(logger, invocationContext.HubMethodName, exception.Code, invocationContext.Context.ConnectionId);
            throw new HubException($"{exception.Code}: {exception.Message}");
        }
        catch (Exception exception) when (exception is not (HubException or OperationCanceledException))
        {
            CallFailed(logger, invocationContext.HubMethodName, invocationContext.Context.ConnectionId, exception);
            throw;
        }
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Hub call {Method} failed for connection {ConnectionId}")]
    private static partial void CallFailed(ILogger logger, string method, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Hub call {Method} refused ({Code}) for connection {ConnectionId}")]
    private static partial void CallRejected(ILogger logger, string method, string code, string connectionId);
}
