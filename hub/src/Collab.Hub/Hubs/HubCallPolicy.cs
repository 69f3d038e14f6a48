using System.Reflection;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Hubs;

/// <summary>What <see cref="ConferencingHubFilter"/> enforces for one hub method, read once from its attributes.</summary>
internal sealed class HubCallPolicy
{
    private HubCallPolicy(RateLimitKind? rateLimit, bool allowedAfterEnd, ParticipantArgument[] participants, ModeratorAction? moderatorAction, bool allowedWhileWaiting, bool checksInStoreStep)
    {
        ChecksInStoreStep = checksInStoreStep;
        AllowedWhileWaiting = allowedWhileWaiting;
        RateLimit = rateLimit;
        AllowedAfterEnd = allowedAfterEnd;
        Participants = participants;
        ModeratorAction = moderatorAction;
    }

    /// <summary>Set when only moderators may call the method: what it does, for the refusal.</summary>
    public ModeratorAction? ModeratorAction { get; }

    public RateLimitKind? RateLimit { get; }

    public bool AllowedAfterEnd { get; }

    /// <summary>The method's store step checks the meeting is open and takes the rate-limit token (<see cref="ChecksInStoreStepAttribute"/>).</summary>
    public bool ChecksInStoreStep { get; }

    /// <summary>A connection waiting in the lobby may call it (all others answer <c>waiting</c>).</summary>
    public bool AllowedWhileWaiting { get; }

    /// <summary>Arguments (or properties of request arguments) that name a participant of the caller's meeting.</summary>
    public ParticipantArgument[] Participants { get; }

    public static HubCallPolicy For(MethodInfo method)
    {
        var participants = new List<ParticipantArgument>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<MeetingParticipantAttribute>() is not null)
            {
                participants.Add(new ParticipantArgument(parameter.Position, null, parameter.Name ?? "participantId"));
                continue;
            }

            foreach (var property in parameter.ParameterType.GetProperties())
            {
                if (property.PropertyType == typeof(string) && property.GetCustomAttribute<MeetingParticipantAttribute>() is not null)
                {
                    participants.Add(new ParticipantArgument(parameter.Position, property, JsonName(property.Name)));
                }
            }
        }

        return new HubCallPolicy(
            method.GetCustomAttribute<ParticipantRateLimitAttribute>()?.Kind,
            method.GetCustomAttribute<AllowedAfterEndAttribute>() is not null,
            [.. participants],
            ModeratorAction.For(method),
            method.GetCustomAttribute<AllowedWhileWaitingAttribute>() is not null,
            method.GetCustomAttribute<ChecksInStoreStepAttribute>() is not null);
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>The participant id an argument carries: the argument itself, or one of its properties.</summary>
internal sealed record ParticipantArgument(int Position, PropertyInfo? Property, string Field)
{
    /// <summary>The id, or null when the argument (a request) is missing: the service then refuses it as invalid input.</summary>
    public bool TryRead(IReadOnlyList<object?> arguments, out string? participantId)
    {
        var argument = arguments[Position];
        if (Property is null)
        {
            participantId = argument as string;
            return true;
        }

        participantId = argument is null ? null : Property.GetValue(argument) as string;
        return argument is not null;
    }
}

/// <summary>What a moderator-only method does, as its refusal says it; the undo's words when its bool argument is false.</summary>
internal sealed record ModeratorAction(string Action, string? ActionWhenFalse, int BoolPosition)
{
    public static ModeratorAction? For(MethodInfo method)
    {
        if (method.GetCustomAttribute<ModeratorOnlyAttribute>() is not { } attribute)
        {
            return null;
        }

        var flag = method.GetParameters().FirstOrDefault(parameter => parameter.ParameterType == typeof(bool));
        return new ModeratorAction(attribute.Action, attribute.ActionWhenFalse, flag?.Position ?? -1);
    }

    public string Describe(IReadOnlyList<object?> arguments) =>
        ActionWhenFalse is not null && BoolPosition >= 0 && arguments[BoolPosition] is false ? ActionWhenFalse : Action;
}
