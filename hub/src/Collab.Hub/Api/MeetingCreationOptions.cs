using System.ComponentModel.DataAnnotations;

namespace Collab.Hub.Api;

/// <summary>Who may create meetings (<c>POST /api/meetings</c>), and how fast.</summary>
public sealed class MeetingCreationOptions
{
    public const string SectionName = "Collab:Creation";

    /// <summary>
    /// Keys an organiser sends in <c>X-Organiser-Key</c> to create a meeting. None (the default, and the quick start's)
    /// leaves creation open to anyone; with one or more, a request without a listed key is refused (<c>403</c>).
    /// </summary>
    public string[] OrganiserKeys { get; set; } = [];

    /// <summary>Meetings one client (its organiser key, or without one its address) may create per window.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerWindow { get; set; } = 30;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}
