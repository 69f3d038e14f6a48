using Collab.Conferencing;
using Collab.Conferencing.Voice;

namespace Collab.Hub.Voice;

/// <summary>
/// <c>OpenVoiceChannel</c>: the caller (joined, not waiting in the lobby: the hub filter sees to that) gets a new voice
/// datagram session on this node. A .NET client gets the key and where to send; a browser's offer goes to the media
/// edge with the session, and only the edge's answer comes back. <c>unavailable</c> when this node takes no datagrams
/// or, for an offer, runs no edge.
/// </summary>
public sealed class VoiceChannelService
{
    private readonly ConnectionRegistry _registry;
    private readonly VoiceDatagramSocket _socket;
    private readonly VoiceDatagramSessions _sessions;
    private readonly IMediaEdge _edge;

    internal VoiceChannelService(ConnectionRegistry registry, VoiceDatagramSocket socket, VoiceDatagramSessions sessions, IMediaEdge edge)
    {
        _registry = registry;
        _socket = socket;
        _sessions = sessions;
        _edge = edge;
    }

    public async Task<VoiceChannelView> OpenAsync(string connectionId, VoiceChannelRequest? request, CancellationToken cancellationToken = default)
    {
        _registry.Require(connectionId);
        if (request is null)
        {
            throw ConferencingException.Invalid("A voice channel request is required ({\"offer\": null} for a client that sends datagrams itself).");
        }

        if (_socket.Unavailable is { } off)
        {
            throw new ConferencingException(ConferencingError.Unavailable, $"Voice datagrams are off on this node ({off}).");
        }

        if (request.Offer is not null && _edge.Unavailable is { } noEdge)
        {
            throw new ConferencingException(ConferencingError.Unavailable, $"The media edge is not running on this node ({noEdge}).");
        }

        if (request.Offer is null)
        {
            var session = await _sessions.OpenAsync(connectionId, cancellationToken);
            return new VoiceChannelView(session.IdBytes, session.Key, _socket.PublicHost, _socket.LocalEndPoint!.Port, Answer: null);
        }

        if (string.IsNullOrWhiteSpace(request.Offer))
        {
            throw ConferencingException.Invalid("The SDP offer is empty.");
        }

        var browser = await _sessions.OpenAsync(connectionId, cancellationToken);
        var answer = await _edge.AnswerAsync(browser.IdBytes, browser.Key, request.Offer, cancellationToken);
        return new VoiceChannelView(browser.IdBytes, Key: null, Host: null, Port: null, answer);
    }
}
