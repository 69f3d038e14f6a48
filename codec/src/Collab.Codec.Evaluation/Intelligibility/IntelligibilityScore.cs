namespace Collab.Codec.Intelligibility;

/// <summary>
/// Both intelligibility measures of one clean/degraded pair, computed from one shared front end.
/// </summary>
/// <param name="Stoi">Short-time objective intelligibility (Taal et al., 2011); higher is more intelligible.</param>
/// <param name="ExtendedStoi">Extended STOI (Jensen &amp; Taal, 2016); higher is more intelligible.</param>
public readonly record struct IntelligibilityScore(double Stoi, double ExtendedStoi);
