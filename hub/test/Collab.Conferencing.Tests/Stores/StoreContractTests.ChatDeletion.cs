namespace Collab.Conferencing.Tests.Stores;

/// <summary>Deleting a chat message: its text is gone for good, its place stays (history, catch-up, resends), paging stays exact.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_deleted_message_keeps_its_place_without_its_text_in_history_catch_up_and_resends()
    {
        var stores = await CreateStoresAsync();
        for (var i = 1; i <= 6; i++)
        {
            await stores.Chat.AppendAsync("a", Draft($"c{i}", "p1", $"m{i}"), Ct);
        }

        var deleted = await stores.Chat.DeleteAsync("a", 3, Ct);
        var again = await stores.Chat.DeleteAsync("a", 3, Ct);
        await stores.Chat.DeleteAsync("a", 5, Ct);
        var resend = await stores.Chat.AppendAsync("a", Draft("c3", "p1", "m3"), Ct);

        Assert.Equal((3L, "c3", "p1", "name of p1", string.Empty, true), (deleted!.Sequence, deleted.ClientMessageId, deleted.ParticipantId, deleted.DisplayName, deleted.Text, deleted.Deleted));
        Assert.Equal(deleted, again);
        Assert.True(resend.Duplicate);
        Assert.Equal(deleted, resend.Message);
        Assert.Null(await stores.Chat.DeleteAsync("a", 7, Ct));
        Assert.Null(await stores.Chat.DeleteAsync("other", 3, Ct));

        // Pages count deleted places like messages, in sequence order, in both directions.
        var after = await stores.Chat.GetAfterAsync("a", 1, 3, Ct);
        var rest = await stores.Chat.GetAfterAsync("a", 4, 3, Ct);
        var before = await stores.Chat.GetBeforeAsync("a", null, 3, Ct);
        var older = await stores.Chat.GetBeforeAsync("a", 4, 3, Ct);

        Assert.Equal([(2L, "m2", false), (3L, "", true), (4L, "m4", false)], after.Messages.Select(m => (m.Sequence, m.Text, m.Deleted)));
        Assert.True(after.HasMore);
        Assert.False(after.Truncated);
        Assert.Equal([(5L, "", true), (6L, "m6", false)], rest.Messages.Select(m => (m.Sequence, m.Text, m.Deleted)));
        Assert.False(rest.HasMore);
        Assert.Equal([4L, 5L, 6L], before.Messages.Select(m => m.Sequence));
        Assert.True(before.HasMore);
        Assert.Equal([1L, 2L, 3L], older.Messages.Select(m => m.Sequence));
        Assert.False(older.HasMore);
        Assert.Equal(6, await stores.Chat.GetLastSequenceAsync("a", Ct));
    }

    [Fact]
    public async Task Deleted_places_past_retention_are_trimmed_with_the_messages()
    {
        var stores = await CreateStoresAsync(new ConferencingOptions { ChatRetentionMessages = 10 });
        for (var i = 1; i <= 12; i++)
        {
            await stores.Chat.AppendAsync("a", Draft($"c{i}", "p1", $"m{i}"), Ct);
            if (i == 2)
            {
                await stores.Chat.DeleteAsync("a", 1, Ct);
            }
        }

        var page = await stores.Chat.GetAfterAsync("a", 0, 50, Ct);

        Assert.Equal(Enumerable.Range(3, 10).Select(i => (long)i), page.Messages.Select(m => m.Sequence));
        Assert.True(page.Truncated);
        Assert.Null(await stores.Chat.DeleteAsync("a", 2, Ct));
    }
}
