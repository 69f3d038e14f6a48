using System.ComponentModel.DataAnnotations;

namespace Collab.Hub.Voice;

/// <summary>
/// The node's media edge (hub/src/Collab.MediaEdge, started as <c>node edge.mjs</c>): browsers' voice data channels
/// end there and ride this node's datagram endpoint. Off, or unable to start, browsers' voice uses SignalR.
/// </summary>
public sealed class MediaEdgeOptions
{
    public const string SectionName = "Collab:Voice:MediaEdge";

    /// <summary>Start the edge when Node.js and the edge's node_modules are there.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder holding edge.mjs and its node_modules; empty: found beside the hub (published: media-edge/; a source tree: hub/src/Collab.MediaEdge).</summary>
    public string? Directory { get; set; }

    /// <summary>The Node.js executable: a path, or a name looked up on PATH.</summary>
    [Required]
    public string Node { get; set; } = "node";

    /// <summary>How long the edge may take to print its port before the hub gives up on it.</summary>
    [Range(500, 120_000)]
    public int StartTimeoutMilliseconds { get; set; } = 15_000;

    /// <summary>How long one call to the edge (an offer's answer includes ICE gathering) may take.</summary>
    [Range(500, 60_000)]
    public int RequestTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>Where the edge sends datagrams, host:port; empty: 127.0.0.1 and the datagram endpoint's port.</summary>
    public string? HubUdp { get; set; }

    /// <summary>The host addresses the edge's answers advertise (comma separated); empty: every address of the machine.</summary>
    public string? IceAddresses { get; set; }

    /// <summary>The edge's ICE UDP ports as min-max (a container publishes this range); empty: any.</summary>
    [RegularExpression(@"^(\d{1,5}-\d{1,5})?$")]
    public string? IcePorts { get; set; }

    /// <summary>Browser sessions one edge holds at most.</summary>
    [Range(1, 100_000)]
    public int MaxSessions { get; set; } = 2000;

    /// <summary>A session whose data channel is not open by then is dropped by the edge.</summary>
    [Range(1000, 300_000)]
    public int OpenTimeoutMilliseconds { get; set; } = 15_000;
}
