using System.Net;

namespace Collab.Conferencing.Client;

/// <summary>Which path a <see cref="VoiceDatagramChannel"/> may use (the load generator's <c>--voice-path</c>).</summary>
public enum VoicePathChoice
{
    /// <summary>Datagrams while the hub answers pings, SignalR otherwise (both while switching).</summary>
    Auto,

    /// <summary>Datagrams only: no fallback (to measure the unreliable path alone).</summary>
    Unreliable,

    /// <summary>SignalR only: no voice channel is opened.</summary>
    SignalR,
}

/// <summary>How a <see cref="VoiceDatagramChannel"/> pings and switches; the defaults are hub/PROTOCOL.md's.</summary>
public sealed record VoiceDatagramChannelOptions
{
    public VoicePathChoice Path { get; init; } = VoicePathChoice.Auto;

    /// <summary>How often the channel pings the hub while it is open, speaking or not.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Datagrams are used while the last pong is younger than this.</summary>
    public TimeSpan Liveness { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the channel publishes on both paths after a switch, and before its pongs' liveness lapses.</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromMilliseconds(1_500);

    /// <summary>Send datagrams here instead of where the hub said (a relay or tunnel in front of the hub's UDP port).</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>
    /// Where to send, given where the hub said (or <see cref="RemoteEndPoint"/>): asked at each open, so a relay can be
    /// put in front of whichever endpoint the hub names (the load generator's impaired links). Null sends there directly.
    /// </summary>
    public Func<IPEndPoint, IPEndPoint>? Route { get; init; }

    /// <summary>How many times, half a second apart, the channel tries to reopen after a reconnect while the connection has not joined again.</summary>
    public int ReopenAttempts { get; init; } = 20;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>One batch heard, and the path it came by (<see cref="Collab.Conferencing.Voice.VoicePaths"/>).</summary>
public readonly record struct VoiceAudio(string SpeakerId, byte[] Batch, string Path);
