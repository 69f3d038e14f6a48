using System.Security.Cryptography;
using System.Text;

namespace Collab.Conferencing.Identity;

/// <summary>Random ids, join codes and moderator keys, all from a cryptographic generator.</summary>
public static class SecretCodes
{
    /// <summary>Lowercase letters and digits without look-alikes, for ids that appear in URLs.</summary>
    private const string IdAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>Uppercase letters and digits without look-alikes (no 0/O, 1/I/L), for codes read aloud and typed on phones.</summary>
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public const int JoinCodeLength = 8;

    public static string NewMeetingId() => RandomNumberGenerator.GetString(IdAlphabet, 12);

    public static string NewParticipantId() => RandomNumberGenerator.GetString(IdAlphabet, 16);

    public static string NewPollId() => RandomNumberGenerator.GetString(IdAlphabet, 10);

    /// <summary>8 characters of a 31-letter alphabet (about 8.5e11 codes); wrong guesses are throttled per meeting.</summary>
    public static string NewJoinCode() => RandomNumberGenerator.GetString(CodeAlphabet, JoinCodeLength);

    /// <summary>256 random bits, base64url: the moderator's secret.</summary>
    public static string NewModeratorKey() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A join code as typed: case, spaces and dashes do not matter.</summary>
    public static string NormalizeJoinCode(string code) =>
        new([.. code.Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant)]);

    public static string HashModeratorKey(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares in constant time so the comparison leaks nothing about the secret.</summary>
    public static bool SecretEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }
}
