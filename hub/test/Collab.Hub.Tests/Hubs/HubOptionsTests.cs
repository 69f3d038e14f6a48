using Collab.Testing;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Tests.Hubs;

public sealed class HubOptionsTests
{
    [Fact]
    public async Task Hub_refuses_to_start_when_the_client_timeout_is_shorter_than_two_keep_alives()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            HubHost.StartAsync(("Collab:Hub:KeepAliveSeconds", "20"), ("Collab:Hub:ClientTimeoutSeconds", "30")));

        Assert.Contains("ClientTimeoutSeconds (30) must be at least twice KeepAliveSeconds (20).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_refuses_to_start_with_a_resume_token_key_that_is_not_32_bytes_of_base64()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            HubHost.StartAsync(("Collab:Conferencing:ResumeTokenKey", "too-short")));

        Assert.Contains("ResumeTokenKey must be empty or base64 of at least 32 bytes.", error.Message, StringComparison.Ordinal);
    }
}
