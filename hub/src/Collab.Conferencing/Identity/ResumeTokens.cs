using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Identity;

/// <summary>
/// Signed resume tokens: <c>v1.&lt;payload&gt;.&lt;signature&gt;</c>, base64url, where the payload is
/// <c>meetingId|participantId|issuedAtUnixMs</c> and the signature is HMAC-SHA256 with the shared key. The token
/// names a participant; the role and name come from the store, so a token cannot raise its holder's role.
/// </summary>
public sealed class ResumeTokens
{
    private const string Version = "v1";
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public ResumeTokens(IOptions<ConferencingOptions> options, TimeProvider time, ILogger<ResumeTokens> logger)
    {
        var configured = options.Value.ResumeTokenKey;
        _key = string.IsNullOrEmpty(configured) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(configured);
        IsKeyEphemeral = string.IsNullOrEmpty(configured);
        if (IsKeyEphemeral)
        {
            ConferencingLog.EphemeralTokenKey(logger);
        }

        _time = time;
        _lifetime = TimeSpan.FromHours(options.Value.ResumeTokenLifetimeHours);
    }

    /// <summary>True when no key was configured: tokens then work only on this node and until it restarts.</summary>
    public bool IsKeyEphemeral { get; }

    public string Issue(string meetingId, string participantId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{meetingId}|{participantId}|{_time.GetUtcNow().ToUnixTimeMilliseconds()}");
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        return $"{Version}.{SecretCodes.Base64Url(payloadBytes)}.{SecretCodes.Base64Url(HMACSHA256.HashData(_key, payloadBytes))}";
    }

    /// <summary>The participant a valid, unexpired token names, or null.</summary>
    public (string MeetingId, string ParticipantId)? Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Version || SecretCodes.FromBase64Url(parts[1]) is not { } payloadBytes || SecretCodes.FromBase64Url(parts[2]) is not { } signature)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payloadBytes), signature))
        {
            return null;
        }

        var fields = Encoding.UTF8.GetString(payloadBytes).Split('|');
        if (fields.Length < 3 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedAt))
        {
            return null;
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(issuedAt);
        return age > _lifetime ? null : (fields[0], fields[1]);
    }
}
