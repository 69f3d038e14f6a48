namespace Collab.Conferencing.Voice;

/// <summary>
/// The receiver's replay check of one session and direction: a counter is accepted once, and only while it is within
/// <see cref="Width"/> of the highest accepted (late datagrams inside the window still count; older ones and repeats are
/// refused). Counters start at 1. Call it after the datagram's tag checked out, so a forgery cannot move the window.
/// Not thread-safe: one receive loop owns it.
/// </summary>
public sealed class VoiceReplayWindow
{
    public const int Width = 64;

    private ulong _highest;
    private ulong _seen;

    /// <summary>The highest counter accepted so far (0 before the first).</summary>
    public ulong Highest => _highest;

    /// <summary>Accepts <paramref name="counter"/> and remembers it; false for 0, a repeat, or a counter older than the window.</summary>
    public bool TryAccept(ulong counter)
    {
        if (counter == 0)
        {
            return false;
        }

        if (counter > _highest)
        {
            var shift = counter - _highest;
            _seen = shift >= Width ? 0 : _seen << (int)shift;
            _seen |= 1;
            _highest = counter;
            return true;
        }

        var age = _highest - counter;
        if (age >= Width)
        {
            return false;
        }

        var bit = 1UL << (int)age;
        if ((_seen & bit) != 0)
        {
            return false;
        }

        _seen |= bit;
        return true;
    }
}
