namespace Collab.LoadGenerator.Impairment;

/// <summary>Where a participant connects for one hub node: an address, and in kernel mode the network namespace it connects from.</summary>
internal sealed record ParticipantLink(Uri Address, string? Namespace = null);
