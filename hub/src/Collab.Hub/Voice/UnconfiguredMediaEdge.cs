namespace Collab.Hub.Voice;

/// <summary>
/// The media edge of a node that has none: every browser offer is refused as <c>unavailable</c> with
/// <see cref="Unavailable"/> (browsers then keep voice on SignalR); .NET clients' datagrams need no edge.
/// </summary>
internal sealed class UnconfiguredMediaEdge : IMediaEdge
{
    public string? Unavailable => "no media edge is configured in this build of the hub";

    public Task<string> AnswerAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> key, string offer, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"The media edge is not running: {Unavailable}.");

    public Task CloseAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
