namespace Collab.Hub.Voice;

internal static partial class MediaEdgeLog
{
    [LoggerMessage(EventId = 1481, Level = LogLevel.Information, Message = "{Feature}: on, node process {ProcessId} on 127.0.0.1:{Port}, datagrams to {HubUdp}")]
    public static partial void Running(ILogger logger, string feature, int processId, int port, string hubUdp);

    [LoggerMessage(EventId = 1482, Level = LogLevel.Warning, Message = "{Feature}: off, {Why}; to turn it on: {WhatToDo}. Browsers' voice uses the SignalR connection.")]
    public static partial void Off(ILogger logger, string feature, string why, string whatToDo);

    [LoggerMessage(EventId = 1483, Level = LogLevel.Information, Message = "{Feature}: off, {Why}; to turn it on: {WhatToDo}. Browsers' voice uses the SignalR connection.")]
    public static partial void OffByChoice(ILogger logger, string feature, string why, string whatToDo);

    [LoggerMessage(EventId = 1484, Level = LogLevel.Information, Message = "Media edge: {Line}")]
    public static partial void Output(ILogger logger, string line);

    [LoggerMessage(EventId = 1485, Level = LogLevel.Warning, Message = "The media edge exited with code {ExitCode}; browsers' voice uses the SignalR connection until the hub restarts")]
    public static partial void Exited(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 1486, Level = LogLevel.Debug, Message = "Closing a session on the media edge failed: {Reason}")]
    public static partial void CloseFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1487, Level = LogLevel.Information, Message = "The media edge (process {ProcessId}) stopped")]
    public static partial void Stopped(ILogger logger, int processId);
}
