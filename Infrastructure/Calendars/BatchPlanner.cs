namespace SendPlans.Infrastructure.Calendars;

/// <summary>
/// Chooses which waiting requests go into the next batch: at most <c>maxBatch</c>, and no more
/// per mailbox than it has free slots. Mailboxes with the most requests left are served first,
/// so the tail of a long run is not a string of small batches for one busy mailbox.
/// </summary>
public static class BatchPlanner
{
    public static List<T> Plan<T>(IReadOnlyList<T> ready, Func<T, string> mailboxOf, int maxBatch, Func<string, int> slotsFor)
    {
        var groups = new List<(string Mailbox, Queue<T> Items, int Slots)>();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in ready)
        {
            var mailbox = mailboxOf(item);
            if (!index.TryGetValue(mailbox, out var i))
            {
                i = groups.Count;
                index[mailbox] = i;
                groups.Add((mailbox, new Queue<T>(), slotsFor(mailbox)));
            }
            groups[i].Items.Enqueue(item);
        }

        var batch = new List<T>(Math.Min(maxBatch, ready.Count));
        while (batch.Count < maxBatch)
        {
            var best = -1;
            for (var i = 0; i < groups.Count; i++)
            {
                if (groups[i].Slots > 0 && groups[i].Items.Count > 0 && (best < 0 || groups[i].Items.Count > groups[best].Items.Count))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            var group = groups[best];
            batch.Add(group.Items.Dequeue());
            groups[best] = group with { Slots = group.Slots - 1 };
        }
        return batch;
    }
}
