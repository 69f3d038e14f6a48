using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Collab.Hub.Voice;

/// <summary>
/// The node's voice datagram endpoint (section <c>Collab:Voice:Datagrams</c>): UDP in the hub process, keys handed out
/// by <c>OpenVoiceChannel</c> (hub/PROTOCOL.md, "Voice datagrams"). Off, voice rides the SignalR connection only.
/// </summary>
public sealed class VoiceDatagramOptions : IValidatableObject
{
    public const string SectionName = "Collab:Voice:Datagrams";

    public bool Enabled { get; set; } = true;

    /// <summary>The address the UDP socket binds: loopback by default; <c>0.0.0.0</c> (or <c>::</c>) to take voice from the network.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The UDP port; 0 picks a free one (fine on one machine; a deployment opens a fixed port in its firewall).</summary>
    [Range(0, 65_535)]
    public int Port { get; set; }

    /// <summary>The host clients send datagrams to, when it is not the host they reached the hub at (a NAT's or load balancer's name).</summary>
    public string? PublicHost { get; set; }

    /// <summary>A session is live (audio to it goes by datagram) while the hub heard an authenticated datagram from it this recently.</summary>
    [Range(100, 60_000)]
    public int LivenessMilliseconds { get; set; } = 3_000;

    /// <summary>How long audio goes by both paths when a session becomes live, and before its liveness lapses, so a switch leaves no gap.</summary>
    [Range(0, 60_000)]
    public int OverlapMilliseconds { get; set; } = 1_500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult($"BindAddress '{BindAddress}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::).", [nameof(BindAddress)]);
        }

        if (OverlapMilliseconds >= LivenessMilliseconds)
        {
            yield return new ValidationResult(
                $"OverlapMilliseconds ({OverlapMilliseconds}) must be less than LivenessMilliseconds ({LivenessMilliseconds}).",
                [nameof(OverlapMilliseconds)]);
        }

        if (PublicHost is { Length: > 0 } host && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            yield return new ValidationResult($"PublicHost '{host}' is not a host name or an IP address.", [nameof(PublicHost)]);
        }
    }
}
