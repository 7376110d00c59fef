namespace SendPlans.Bot.Scheduling;

internal readonly record struct Booking(int Start, int End, int Parent);

/// <summary>The meetings booked so far, per member of staff and day, and per parent.</summary>
internal sealed class Occupancy(int staffCount, int dayCount, int parentCount)
{
    private static readonly List<Booking> None = [];
    private readonly List<Booking>?[] staffDays = new List<Booking>?[staffCount * dayCount];
    private readonly List<Booking>?[] parents = new List<Booking>?[parentCount];

    public int Count(int staff, int day) => staffDays[staff * dayCount + day]?.Count ?? 0;

    public List<Booking> StaffDay(int staff, int day) => staffDays[staff * dayCount + day] ?? None;

    public List<Booking> Parent(int parent) => parent < 0 ? None : parents[parent] ?? None;

    public void Add(IReadOnlyList<int> staff, int day, int start, int end, int parent)
    {
        var booking = new Booking(start, end, parent);
        foreach (var s in staff)
        {
            if (s >= 0)
            {
                (staffDays[s * dayCount + day] ??= []).Add(booking);
            }
        }
        if (parent >= 0)
        {
            (parents[parent] ??= []).Add(booking);
        }
    }
}
