using System.ComponentModel.DataAnnotations;

namespace Collab.Hub.Hubs;

/// <summary>
/// Connection timing for links that stall for seconds (venue Wi-Fi, 2G/3G). The server pings every
/// <see cref="KeepAliveSeconds"/> and drops a client it has not heard from for <see cref="ClientTimeoutSeconds"/>;
/// clients should use a server timeout of at least twice the keep-alive (hub/PROTOCOL.md).
/// </summary>
public sealed class HubTransportOptions : IValidatableObject
{
    public const string SectionName = "Collab:Hub";

    [Range(1, 300)]
    public int KeepAliveSeconds { get; set; } = 10;

    [Range(2, 3_600)]
    public int ClientTimeoutSeconds { get; set; } = 60;

    [Range(1, 300)]
    public int HandshakeTimeoutSeconds { get; set; } = 30;

    /// <summary>Largest single message a client may send; chat and polls fit well within it.</summary>
    [Range(1_024, 1_048_576)]
    public int MaximumReceiveMessageSizeBytes { get; set; } = 32 * 1_024;

    /// <summary>
    /// Bytes of unacknowledged pushes the server keeps per connection for clients that use stateful reconnect
    /// (a WebSockets drop is then bridged on the same connection). Past it, sends wait for the client to acknowledge.
    /// </summary>
    [Range(1_024, 16 * 1_048_576)]
    public long StatefulReconnectBufferBytes { get; set; } = 100_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClientTimeoutSeconds < 2 * KeepAliveSeconds)
        {
            yield return new ValidationResult(
                $"ClientTimeoutSeconds ({ClientTimeoutSeconds}) must be at least twice KeepAliveSeconds ({KeepAliveSeconds}).",
                [nameof(ClientTimeoutSeconds)]);
        }
    }
}
