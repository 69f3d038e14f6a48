using System.Text.Json.Serialization;

namespace Collab.LoadGenerator.Baseline;

/// <summary>One figure measured on both hubs; <see cref="Target"/> and <see cref="Met"/> when the issue sets a target for it.</summary>
internal sealed record BaselineFigure(string Name, double Bare, double Collab, [property: JsonIgnore] string Format, string? Target = null, bool? Met = null, bool HasRatio = true)
{
    public double? Ratio => HasRatio && Bare > 0 ? Collab / Bare : null;

    /// <summary>A figure whose Collab value may be at most <paramref name="maxRatio"/> times the bare hub's.</summary>
    public static BaselineFigure AtMost(string name, double bare, double collab, string format, double maxRatio, bool valid = true) =>
        new(name, bare, collab, format, $"≤ {maxRatio:0.0#}×", valid && bare > 0 && collab / bare <= maxRatio);
}
