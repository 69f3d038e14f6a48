using System.Net.Http.Json;
using Collab.Conferencing.Meetings;

namespace Collab.LoadGenerator.Hosting;

/// <summary>The hub's HTTP API as the tool uses it: creating the meeting a run, a benchmark or a baseline joins.</summary>
internal static class MeetingApi
{
    public static async Task<CreatedMeeting> CreateAsync(Uri hub, string title, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = hub };
        if (timeout is { } limit)
        {
            http.Timeout = limit;
        }

        using var response = await http.PostAsJsonAsync("/api/meetings", new CreateMeetingRequest(title), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CreatedMeeting>(cancellationToken) ?? throw new InvalidOperationException("The hub returned no meeting.");
    }
}
