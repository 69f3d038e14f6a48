using System.Globalization;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// Which network profile each participant's link plays: one profile for everyone, or a weighted mix such as
/// <c>venue-wifi:70,3g:20,edge:10</c>. Participants are dealt profiles by smooth weighted round-robin, so any prefix of
/// the crowd already has the mix's proportions (within one participant) and a run is reproducible.
/// </summary>
internal sealed class ProfileMix
{
    private readonly NetworkProfile[] _dealt;

    private ProfileMix(IReadOnlyList<(NetworkProfile Profile, int Weight)> parts)
    {
        Parts = parts;
        var total = parts.Sum(p => p.Weight);
        var credit = new int[parts.Count];
        _dealt = new NetworkProfile[total];
        for (var turn = 0; turn < total; turn++)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                credit[i] += parts[i].Weight;
            }

            var pick = Array.IndexOf(credit, credit.Max());
            credit[pick] -= total;
            _dealt[turn] = parts[pick].Profile;
        }
    }

    public IReadOnlyList<(NetworkProfile Profile, int Weight)> Parts { get; }

    /// <summary>As given on the command line, e.g. <c>venue-wifi</c> or <c>venue-wifi:70,3g:30</c>.</summary>
    public string Name => Parts.Count == 1 ? Parts[0].Profile.Name : string.Join(',', Parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Profile.Name}:{p.Weight}")));

    /// <summary>Whether every link is unimpaired (no proxies needed).</summary>
    public bool AllGood => Parts.All(p => p.Profile == NetworkProfile.Good);

    public static implicit operator ProfileMix(NetworkProfile profile) => new([(profile, 1)]);

    public NetworkProfile For(int participant) => _dealt[participant % _dealt.Length];

    /// <summary>Parses <c>name</c> or <c>name:weight,name:weight</c>; <paramref name="adjust"/> is applied to every profile (the command line's overrides).</summary>
    public static bool TryParse(string text, Func<NetworkProfile, NetworkProfile> adjust, out ProfileMix mix, out string error)
    {
        mix = NetworkProfile.Good;
        var parts = new List<(NetworkProfile, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = part.Split(':');
            var weight = 1;
            if (!NetworkProfile.TryGet(fields[0], out var profile))
            {
                error = $"Unknown profile '{fields[0]}': use {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}, or a mix such as venue-wifi:70,3g:30.";
                return false;
            }

            if (fields.Length > 2 || (fields.Length == 2 && (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight is < 1 or > 100)))
            {
                error = $"'{part}': a weight is a whole number 1–100, as in venue-wifi:70.";
                return false;
            }

            if (parts.Any(p => p.Item1.Name == profile.Name))
            {
                error = $"'{profile.Name}' is in the mix twice.";
                return false;
            }

            parts.Add((adjust(profile), weight));
        }

        if (parts.Count == 0)
        {
            error = "--profile names at least one profile.";
            return false;
        }

        mix = new ProfileMix(parts);
        error = string.Empty;
        return true;
    }
}
