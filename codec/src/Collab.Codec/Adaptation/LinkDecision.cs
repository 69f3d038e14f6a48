using Collab.Codec.Profiles;

namespace Collab.Codec.Adaptation;

/// <summary>The adapter's answer to one report: the profile to encode with, the loss to plan for, and why.</summary>
public sealed record LinkDecision(VoiceProfile Profile, int ExpectedLossPercent, bool Changed, string Reason);
