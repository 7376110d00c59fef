using System.Collections.Concurrent;

namespace SendPlans.Infrastructure.Calendars;

/// <summary>
/// Caps the requests in flight against each mailbox across the whole process. Exchange runs at
/// most 4 requests per app per mailbox at once and answers 429 (MailboxConcurrency) beyond, so a
/// request waits here for a free slot rather than being sent to be throttled.
/// </summary>
public sealed class MailboxGate(int perMailbox)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.OrdinalIgnoreCase);

    public int PerMailbox { get; } = perMailbox;

    public bool TryEnter(string mailbox) => Slots(mailbox).Wait(0);

    public Task EnterAsync(string mailbox, CancellationToken cancellationToken) => Slots(mailbox).WaitAsync(cancellationToken);

    public void Release(string mailbox) => Slots(mailbox).Release();

    /// <summary>Requests now in flight against the mailbox.</summary>
    public int InFlight(string mailbox) => PerMailbox - Slots(mailbox).CurrentCount;

    private SemaphoreSlim Slots(string mailbox) => _slots.GetOrAdd(mailbox.Trim(), _ => new SemaphoreSlim(PerMailbox, PerMailbox));
}
