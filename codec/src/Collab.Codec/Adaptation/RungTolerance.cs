using Collab.Codec.Profiles;

namespace Collab.Codec.Adaptation;

/// <summary>
/// How much loss a rung keeps intelligible (STOI ≥ 0.9 on the speech sample, codec/README.md) and the longest
/// loss burst its protection covers. The adapter's preference order is the order of <see cref="ByPreference"/>:
/// best sounding first.
/// </summary>
internal sealed record RungTolerance(VoiceProfile Profile, double MaxLossFraction, double MaxBurstMilliseconds)
{
    public static IReadOnlyList<RungTolerance> ByPreference { get; } =
    [
        new(ProfileLadder.Clear, 0.01, double.MaxValue),
        new(ProfileLadder.WideFec, 0.08, 80),
        new(ProfileLadder.Standard, 0.02, double.MaxValue),
        new(ProfileLadder.WideRedundant, 0.15, 80),
        new(ProfileLadder.HeavyRedundant, 0.35, double.MaxValue),
        new(ProfileLadder.BurstRedundant, 0.35, double.MaxValue),
        new(ProfileLadder.NarrowRedundant, 0.20, 80),
        new(ProfileLadder.Lifeline, 0.05, double.MaxValue),
    ];

    /// <summary>Position in the preference order: lower is better sounding.</summary>
    public static int RankOf(VoiceProfile profile)
    {
        for (var rank = 0; rank < ByPreference.Count; rank++)
        {
            if (ByPreference[rank].Profile.Id == profile.Id)
            {
                return rank;
            }
        }

        throw new ArgumentException($"Profile '{profile.Name}' is not on the ladder.", nameof(profile));
    }
}
