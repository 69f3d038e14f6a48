
using Collab.Conferencing.Chat;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Chat_sequences_start_at_one_and_increase_per_meeting()
    {
        var stores = await CreateStoresAsync();

        var a1 = await stores.Chat.AppendAsync("a", Draft("c1", "p1", "first"), Ct);
        var a2 = await stores.Chat.AppendAsync("a", Draft("c2", "p1", "second"), Ct);
        var b1 = await stores.Chat.AppendAsync("b", Draft("c1", "p1", "other meeting"), Ct);

        Assert.Equal([1L, 2L, 1L], new[] { a1.Message.Sequence, a2.Message.Sequence, b1.Message.Sequence });
        Assert.Equal(2, await stores.Chat.GetLastSequenceAsync("a", Ct));
        Assert.Equal(0, await stores.Chat.GetLastSequenceAsync("empty", Ct));
        Assert.Equal(("c2", "p1", "name of p1", "second"), (a2.Message.ClientMessageId, a2.Message.ParticipantId, a2.Message.DisplayName, a2.Message.Text));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), a2.Message.SentAtUnixMs);
    }

    [Fact]
    public async Task Chat_resend_with_the_same_client_message_id_returns_the_stored_message()
    {
        var stores = await CreateStoresAsync();

        var first = await stores.Chat.AppendAsync("a", Draft("c1", "p1", "hello"), Ct);
        var again = await stores.Chat.AppendAsync("a", Draft("c1", "p1", "hello"), Ct);
        var otherSender = await stores.Chat.AppendAsync("a", Draft("c1", "p2", "hello"), Ct);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Message, again.Message);
        Assert.False(otherSender.Duplicate);
        Assert.Equal(2, otherSender.Message.Sequence);
        Assert.Equal(2, (await stores.Chat.GetAfterAsync("a", 0, 10, Ct)).Messages.Count);
    }

    [Fact]
    public async Task Concurrent_chat_appends_get_distinct_gapless_sequences()
    {
        var stores = await CreateStoresAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => stores.Chat.AppendAsync("a", Draft($"c{i}", $"p{i % 7}", $"text {i}"), Ct)))
            .WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var resent = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => stores.Chat.AppendAsync("a", Draft($"c{i}", $"p{i % 7}", $"text {i}"), Ct)))
            .WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), results.Select(r => r.Message.Sequence).Order());
        Assert.All(resent, r => Assert.True(r.Duplicate));
        Assert.Equal(results.Select(r => r.Message.Sequence), resent.Select(r => r.Message.Sequence));
        var page = await stores.Chat.GetAfterAsync("a", 0, 200, Ct);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), page.Messages.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Chat_pages_forwards_and_backwards_in_ascending_order()
    {
        var stores = await CreateStoresAsync();
        for (var i = 1; i <= 12; i++)
        {
            await stores.Chat.AppendAsync("a", Draft($"c{i}", "p1", $"m{i}"), Ct);
        }

        var after = await stores.Chat.GetAfterAsync("a", 3, 4, Ct);
        var tail = await stores.Chat.GetAfterAsync("a", 10, 4, Ct);
        var none = await stores.Chat.GetAfterAsync("a", 12, 4, Ct);
        var newest = await stores.Chat.GetBeforeAsync("a", null, 5, Ct);
        var before = await stores.Chat.GetBeforeAsync("a", 4, 5, Ct);

        Assert.Equal([4L, 5, 6, 7], after.Messages.Select(m => m.Sequence));
        Assert.True(after.HasMore);
        Assert.False(after.Truncated);
        Assert.Equal([11L, 12], tail.Messages.Select(m => m.Sequence));
        Assert.False(tail.HasMore);
        Assert.Empty(none.Messages);
        Assert.Equal(12, none.LastSequence);
        Assert.Equal([8L, 9, 10, 11, 12], newest.Messages.Select(m => m.Sequence));
        Assert.True(newest.HasMore);
        Assert.Equal([1L, 2, 3], before.Messages.Select(m => m.Sequence));
        Assert.False(before.HasMore);
        Assert.Equal("m5", after.Messages[1].Text);
    }

    [Fact]
    public async Task Chat_retention_trims_the_oldest_and_catch_up_past_it_is_marked_truncated()
    {
        var stores = await CreateStoresAsync(new ConferencingOptions { ChatRetentionMessages = 10 });
        for (var i = 1; i <= 25; i++)
        {
            await stores.Chat.AppendAsync("a", Draft($"c{i}", "p1", $"m{i}"), Ct);
        }

        var fromStart = await stores.Chat.GetAfterAsync("a", 0, 100, Ct);
        var fromRetained = await stores.Chat.GetAfterAsync("a", 15, 100, Ct);
        var history = await stores.Chat.GetBeforeAsync("a", null, 100, Ct);

        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), fromStart.Messages.Select(m => m.Sequence));
        Assert.True(fromStart.Truncated);
        Assert.False(fromRetained.Truncated);
        Assert.Equal(10, fromRetained.Messages.Count);
        Assert.Equal(10, history.Messages.Count);
        Assert.False(history.HasMore);
        Assert.Equal(26, (await stores.Chat.AppendAsync("a", Draft("c26", "p1", "m26"), Ct)).Message.Sequence);
    }

    private ChatDraft Draft(string clientMessageId, string participantId, string text) =>
        new(clientMessageId, participantId, $"name of {participantId}", text, Time.GetUtcNow().ToUnixTimeMilliseconds());
}
