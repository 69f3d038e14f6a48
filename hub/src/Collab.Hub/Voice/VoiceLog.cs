namespace Collab.Hub.Voice;

internal static partial class VoiceLog
{
    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Voice datagrams: on, UDP {LocalEndPoint}; clients send to {Target}")]
    public static partial void On(ILogger logger, string localEndPoint, string target);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Voice datagrams: off, {Reason}; voice uses the SignalR connection")]
    public static partial void Off(ILogger logger, string reason);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Warning, Message = "Voice datagrams: off, {Reason}; voice uses the SignalR connection. Free the port or set Collab:Voice:Datagrams:Port (0 picks a free one)")]
    public static partial void BindFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 3504, Level = LogLevel.Debug, Message = "Voice datagram receive failed; the endpoint goes on")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3505, Level = LogLevel.Debug, Message = "Voice datagram to connection {ConnectionId} not sent")]
    public static partial void SendFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3506, Level = LogLevel.Warning, Message = "The media edge did not close the voice session of connection {ConnectionId}")]
    public static partial void EdgeCloseFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3507, Level = LogLevel.Error, Message = "Voice datagram handling failed; the endpoint goes on")]
    public static partial void HandleFailed(ILogger logger, Exception exception);
}
