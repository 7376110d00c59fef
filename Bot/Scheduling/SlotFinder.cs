using NodaTime;

namespace SendPlans.Bot.Scheduling;

/// <summary>
/// Books one plan meeting per pupil inside the window: never over a required member of staff's
/// busy time, never two meetings of one member of staff closer than the buffer (siblings' meetings
/// excepted), never at a parent's hard-to-attend time. Preferences only rank the slots that pass.
/// Pure and deterministic: the same request gives the same answer, whatever the order of its lists.
/// </summary>
public sealed class SlotFinder
{
    private const int PermuteSiblingsUpTo = 4;
    private readonly Timeline timeline;
    private readonly string[] staffNames;
    private readonly Dictionary<string, int> staffIndex;
    private readonly ulong[][] busy;
    private readonly ParentRules[] parents;
    private readonly Dictionary<string, int> parentIndex;
    private readonly PupilPlan[] pupils;
    private readonly Dictionary<string, int> pupilIndex;
    private readonly int buffer;
    private readonly int maxPerDay;

    public SlotFinder(SlotRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxMeetingsPerStaffPerDay < 1)
        {
            throw new ArgumentException("MaxMeetingsPerStaffPerDay must be at least 1.", nameof(request));
        }
        maxPerDay = request.MaxMeetingsPerStaffPerDay;
        buffer = request.Buffer == Duration.Zero ? 0 : Timeline.WholeMinutes(request.Buffer, nameof(request.Buffer));
        var slotLength = Timeline.WholeMinutes(request.SlotLength, nameof(request.SlotLength));
        var interpreterLength = Timeline.WholeMinutes(request.InterpreterSlotLength, nameof(request.InterpreterSlotLength));
        timeline = new Timeline(request, [slotLength, interpreterLength]);

        var duplicate = request.Pupils.GroupBy(p => p.PupilId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Pupil '{duplicate.Key}' appears more than once.", nameof(request));
        }

        var staffIds = request.Staff.Select(s => s.StaffId)
            .Concat(request.Pupils.SelectMany(p => p.OtherStaffIds.Prepend(p.TeacherId)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        staffIndex = Index(staffIds);
        staffNames = [.. staffIds.Select(id => request.Staff.Where(s => s.StaffId == id)
            .Select(s => s.DisplayName).Where(n => !string.IsNullOrWhiteSpace(n)).Order(StringComparer.Ordinal).FirstOrDefault() ?? id)];
        busy = [.. staffIds.Select(_ => new ulong[(timeline.TotalMinutes + 63) / 64])];
        foreach (var calendar in request.Staff)
        {
            foreach (var interval in calendar.Busy)
            {
                MarkBusy(busy[staffIndex[calendar.StaffId]], interval);
            }
        }

        var availability = request.Parents.GroupBy(p => p.ParentId, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => g.Count() == 1 ? g.Single() : throw new ArgumentException($"Parent '{g.Key}' appears more than once.", nameof(request)),
            StringComparer.Ordinal);
        var parentIds = request.Pupils.Select(p => p.ParentId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        parentIndex = Index(parentIds);
        parents = [.. parentIds.Select(id => new ParentRules(availability.GetValueOrDefault(id) ?? new ParentAvailability(id)))];

        var staffFree = new Dictionary<(CandidateSet, int), bool[]>();
        var siblings = request.Pupils.GroupBy(p => p.ParentId, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        pupils = [.. request.Pupils.OrderBy(p => p.PupilId, StringComparer.Ordinal).Select(p =>
        {
            int[] staff = [staffIndex[p.TeacherId], .. p.OtherStaffIds.Where(id => id != p.TeacherId)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(id => staffIndex[id])];
            var parent = parentIndex[p.ParentId];
            var set = timeline.Candidates(p.InterpreterNeeded ? interpreterLength : slotLength, parents[parent].MayUseExtendedHours);
            var free = staff.Select(s => staffFree.TryGetValue((set, s), out var f) ? f : staffFree[(set, s)] = FreeFor(set, s)).ToArray();
            var feasible = Feasible(set, free, parents[parent]);
            return new PupilPlan(p, staff, [.. staff.Select(s => staffIds[s])], parent, set, feasible,
                siblings.Contains(p.ParentId) ? feasible.ToDictionary(i => set.Items[i].Start) : null);
        })];
        pupilIndex = Index(pupils.Select(p => p.Request.PupilId).ToArray());
    }

    public static SlotAssignment Find(SlotRequest request) => new SlotFinder(request).Find();

    public SlotAssignment Find()
    {
        var occupancy = NewOccupancy();
        var meetings = new List<Meeting>();
        var unplaced = new List<Unplaced>();
        foreach (var unit in Units())
        {
            if (unit.Length > 1 && TryPlaceSiblings(unit, occupancy, meetings))
            {
                continue;
            }
            foreach (var p in unit.OrderBy(i => pupils[i].Feasible.Length).ThenBy(i => i))
            {
                if (Best(pupils[p], pupils[p].Set, pupils[p].Feasible, occupancy) is { } best)
                {
                    Book(pupils[p], best, occupancy, meetings);
                }
                else
                {
                    unplaced.Add(Diagnose(pupils[p]));
                }
            }
        }
        return new SlotAssignment(
            [.. meetings.OrderBy(m => m.Slot.Start).ThenBy(m => m.PupilId, StringComparer.Ordinal)],
            [.. unplaced.OrderBy(u => u.PupilId, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Other free slots for one pupil, for "change one slot": the same rules as <see cref="Find()"/>,
    /// with every other meeting of <paramref name="assignment"/> kept. Spread over different days
    /// first, in time order; the pupil's current slot is not among them.
    /// </summary>
    public IReadOnlyList<Slot> Alternatives(SlotAssignment assignment, string pupilId, int count)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var p = Pupil(pupilId);
        var occupancy = OccupancyOf(assignment, pupilId);
        var current = assignment.MeetingFor(pupilId)?.Slot.Start;
        var ranked = Ranked(p, p.Set, p.Feasible, occupancy).Where(c => timeline.ToInstant(c.Start) != current);
        return [.. Spread(ranked, count, []).OrderBy(c => c.Start).Select(timeline.ToSlot)];
    }

    /// <summary>
    /// Three slots for the parent to choose from: the pupil's current slot when it is still free,
    /// then others on different days. Extended hours are open here whatever the parent's flags, and
    /// at least one slot lies outside <see cref="SlotRequest.CoreHours"/> when any such slot is free.
    /// </summary>
    public SlotOffer OfferThree(SlotAssignment assignment, string pupilId)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        const int Wanted = 3;
        var p = Pupil(pupilId);
        var set = timeline.Candidates(p.Set.Length, extended: true);
        var feasible = Feasible(set, [.. p.Staff.Select(s => FreeFor(set, s))], parents[p.Parent]);
        var occupancy = OccupancyOf(assignment, pupilId);
        var ranked = Ranked(p, set, feasible, occupancy).ToList();

        var current = assignment.MeetingFor(pupilId)?.Slot.Start;
        var chosen = ranked.Where(c => timeline.ToInstant(c.Start) == current).Take(1).ToList();
        chosen.AddRange(Spread(ranked.Except(chosen), Wanted - chosen.Count, [.. chosen.Select(c => c.Day)]));
        if (!chosen.Any(c => c.OutsideCoreHours) && ranked.FirstOrDefault(c => c.OutsideCoreHours) is { OutsideCoreHours: true } outside)
        {
            if (chosen.Count == Wanted)
            {
                chosen.RemoveAt(chosen.Count - 1);
            }
            chosen.Add(outside);
        }

        var outsideCore = chosen.Any(c => c.OutsideCoreHours);
        string? note = null;
        if (chosen.Count == 0)
        {
            note = Diagnose(p, set, feasible).Message;
        }
        else if (!outsideCore)
        {
            note = $"Nothing outside {Hours(timeline.CoreHours)} is free for {Names(p)} and the parent in the window, so every offered slot is within those hours.";
        }
        else if (chosen.Count < Wanted)
        {
            note = $"Only {chosen.Count} slot{(chosen.Count == 1 ? " is" : "s are")} free for {Names(p)} and the parent in the window.";
        }
        return new SlotOffer(pupilId, [.. chosen.OrderBy(c => c.Start).Select(timeline.ToSlot)], outsideCore, note);
    }

    /// <summary>Hardest first: the fewest statically possible slots, then sibling groups before single pupils, then pupil id.</summary>
    private IEnumerable<int[]> Units() =>
        Enumerable.Range(0, pupils.Length).GroupBy(i => pupils[i].Parent).Select(g => g.ToArray())
            .OrderBy(u => u.Min(i => pupils[i].Feasible.Length)).ThenByDescending(u => u.Length).ThenBy(u => u[0]);

    private bool TryPlaceSiblings(int[] unit, Occupancy occupancy, List<Meeting> meetings)
    {
        var orders = unit.Length <= PermuteSiblingsUpTo ? Permutations(unit) : [unit];
        var chain = new Candidate[unit.Length];
        (int Fit, int Extended, int Load, int Start, int Order)? bestScore = null;
        Candidate[]? best = null;
        for (var o = 0; o < orders.Count; o++)
        {
            var order = orders[o];
            var first = pupils[order[0]];
            foreach (var i in first.Feasible)
            {
                if (!Chain(order, first.Set.Items[i], chain) || !ChainFits(order, chain, occupancy))
                {
                    continue;
                }
                var score = (0, 0, 0, chain[0].Start, o);
                for (var k = 0; k < order.Length; k++)
                {
                    var p = pupils[order[k]];
                    score.Item1 += parents[p.Parent].FitCost(chain[k], timeline);
                    score.Item2 += chain[k].InSchoolDay ? 0 : 1;
                    score.Item3 = Math.Max(score.Item3, Load(p, chain[k], occupancy));
                }
                if (bestScore is null || score.CompareTo(bestScore.Value) < 0)
                {
                    bestScore = score;
                    best = [.. chain];
                }
            }
        }
        if (best is null)
        {
            return false;
        }
        var bestOrder = orders[bestScore!.Value.Order];
        for (var k = 0; k < bestOrder.Length; k++)
        {
            Book(pupils[bestOrder[k]], best[k], occupancy, meetings);
        }
        return true;
    }

    /// <summary>Each sibling's slot starts as the previous one ends, on the same day.</summary>
    private bool Chain(int[] order, Candidate first, Candidate[] chain)
    {
        chain[0] = first;
        for (var k = 1; k < order.Length; k++)
        {
            var p = pupils[order[k]];
            if (!p.FeasibleByStart!.TryGetValue(chain[k - 1].End, out var i) || p.Set.Items[i].Day != first.Day)
            {
                return false;
            }
            chain[k] = p.Set.Items[i];
        }
        return true;
    }

    private bool ChainFits(int[] order, Candidate[] chain, Occupancy occupancy)
    {
        for (var k = 0; k < order.Length; k++)
        {
            var p = pupils[order[k]];
            if (!Fits(p, chain[k], occupancy, countDay: false))
            {
                return false;
            }
            foreach (var s in p.Staff)
            {
                var inChain = order.Count(j => pupils[j].Staff.Contains(s));
                if (occupancy.Count(s, chain[0].Day) + inChain > maxPerDay)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>The first of <see cref="Ranked"/>, without sorting them all.</summary>
    private Candidate? Best(PupilPlan p, CandidateSet set, int[] feasible, Occupancy occupancy)
    {
        var parent = parents[p.Parent];
        Candidate? best = null;
        var bestScore = (int.MaxValue, 0, 0);
        foreach (var i in feasible)
        {
            var c = set.Items[i];
            if (!Fits(p, c, occupancy, countDay: true))
            {
                continue;
            }
            // Candidates come in time order, so a strict improvement keeps the earliest of equals.
            var score = (parent.FitCost(c, timeline), c.InSchoolDay ? 0 : 1, Load(p, c, occupancy));
            if (score.CompareTo(bestScore) < 0)
            {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>Free slots, best first: the parent's fit, then school hours over extended, then the lighter day, then the earlier time.</summary>
    private IEnumerable<Candidate> Ranked(PupilPlan p, CandidateSet set, int[] feasible, Occupancy occupancy)
    {
        var parent = parents[p.Parent];
        return feasible.Select(i => set.Items[i])
            .Where(c => Fits(p, c, occupancy, countDay: true))
            .Select(c => (Candidate: c, Score: (parent.FitCost(c, timeline), c.InSchoolDay ? 0 : 1, Load(p, c, occupancy), c.Start)))
            .OrderBy(x => x.Score)
            .Select(x => x.Candidate);
    }

    private bool Fits(PupilPlan p, Candidate c, Occupancy occupancy, bool countDay)
    {
        foreach (var s in p.Staff)
        {
            var day = occupancy.StaffDay(s, c.Day);
            if (countDay && day.Count >= maxPerDay)
            {
                return false;
            }
            foreach (var b in day)
            {
                // A parent's back-to-back meetings with one teacher need no buffer between them.
                var gap = b.Parent == p.Parent ? 0 : buffer;
                if (b.Start < c.End + gap && c.Start < b.End + gap)
                {
                    return false;
                }
            }
        }
        foreach (var b in occupancy.Parent(p.Parent))
        {
            if (b.Start < c.End && c.Start < b.End)
            {
                return false;
            }
        }
        return true;
    }

    private static int Load(PupilPlan p, Candidate c, Occupancy occupancy)
    {
        var load = 0;
        foreach (var s in p.Staff)
        {
            load = Math.Max(load, occupancy.Count(s, c.Day));
        }
        return load;
    }

    private void Book(PupilPlan p, Candidate c, Occupancy occupancy, List<Meeting> meetings)
    {
        occupancy.Add(p.Staff, c.Day, c.Start, c.End, p.Parent);
        meetings.Add(new Meeting(p.Request.PupilId, p.Request.ParentId, p.StaffIds, timeline.ToSlot(c)));
    }

    private Unplaced Diagnose(PupilPlan p) => Diagnose(p, p.Set, p.Feasible);

    /// <summary>Names the first rule, in the order below, that leaves no slot.</summary>
    private Unplaced Diagnose(PupilPlan p, CandidateSet set, int[] feasible)
    {
        Unplaced Because(UnplacedReason reason, string message) => new(p.Request.PupilId, reason, message);
        var withExtended = timeline.Candidates(set.Length, extended: true);
        bool AnyFree(CandidateSet s, IEnumerable<int> staff) => s.Items.Any(c => staff.All(m => IsFree(m, c)));

        if (timeline.Days.Length == 0)
        {
            return Because(UnplacedReason.WindowEmpty, "The window is empty: every day in it is a weekend or a closure day.");
        }
        if (set.Items.Length == 0)
        {
            return Because(UnplacedReason.NoSlotFitsHours, $"No {set.Length}-minute slot fits in the allowed hours on any day of the window.");
        }
        foreach (var s in p.Staff)
        {
            if (!AnyFree(set, [s]))
            {
                return !set.Extended && AnyFree(withExtended, [s])
                    ? Because(UnplacedReason.StaffFreeOnlyInExtendedHours,
                        $"{staffNames[s]} is free only before or after school, and those hours are offered to working parents only.")
                    : Because(UnplacedReason.StaffBusy, $"No free time in the window for {staffNames[s]}.");
            }
        }
        if (!AnyFree(set, p.Staff))
        {
            return !set.Extended && AnyFree(withExtended, p.Staff)
                ? Because(UnplacedReason.StaffFreeOnlyInExtendedHours,
                    $"{Names(p)} are free together only before or after school, and those hours are offered to working parents only.")
                : Because(UnplacedReason.NoCommonStaffTime, $"{Names(p)} are never free at the same time in the window.");
        }
        if (feasible.Length == 0)
        {
            return Because(UnplacedReason.ParentHardToAttend, "Every free slot falls in the parent's hard-to-attend times.");
        }
        return Because(UnplacedReason.FullyBooked,
            $"Every slot that suits {Names(p)} and the parent is taken by other meetings or the limit of {maxPerDay} meetings a day.");
    }

    /// <summary>Best per day first so the choice covers different days, then the next best.</summary>
    private static List<Candidate> Spread(IEnumerable<Candidate> ranked, int count, HashSet<int> usedDays)
    {
        var all = ranked.ToList();
        var picked = new List<Candidate>();
        foreach (var c in all)
        {
            if (picked.Count < count && usedDays.Add(c.Day))
            {
                picked.Add(c);
            }
        }
        picked.AddRange(all.Except(picked).Take(Math.Max(0, count - picked.Count)));
        return picked;
    }

    private Occupancy OccupancyOf(SlotAssignment assignment, string exceptPupilId)
    {
        var occupancy = NewOccupancy();
        foreach (var m in assignment.Meetings.Where(m => m.PupilId != exceptPupilId))
        {
            if (timeline.DayIndex.TryGetValue(m.Slot.Date, out var day))
            {
                occupancy.Add(
                    [.. m.StaffIds.Select(id => staffIndex.GetValueOrDefault(id, -1))],
                    day,
                    (int)timeline.MinuteFloor(m.Slot.Start),
                    (int)timeline.MinuteCeiling(m.Slot.End),
                    parentIndex.GetValueOrDefault(m.ParentId, -1));
            }
        }
        return occupancy;
    }

    private Occupancy NewOccupancy() => new(staffNames.Length, timeline.Days.Length, parents.Length);

    private PupilPlan Pupil(string pupilId) => pupilIndex.TryGetValue(pupilId, out var i)
        ? pupils[i]
        : throw new ArgumentException($"Pupil '{pupilId}' is not in the request.", nameof(pupilId));

    private int[] Feasible(CandidateSet set, bool[][] free, ParentRules parent)
    {
        var feasible = new List<int>();
        for (var i = 0; i < set.Items.Length; i++)
        {
            var ok = parent.Allows(set.Items[i], timeline);
            for (var s = 0; ok && s < free.Length; s++)
            {
                ok = free[s][i];
            }
            if (ok)
            {
                feasible.Add(i);
            }
        }
        return [.. feasible];
    }

    private bool[] FreeFor(CandidateSet set, int staff) => [.. set.Items.Select(c => IsFree(staff, c))];

    private bool IsFree(int staff, Candidate c) => !Bits.AnyInRange(busy[staff], c.Start, c.End);

    private void MarkBusy(ulong[] bits, Interval interval)
    {
        if (!interval.HasStart || !interval.HasEnd)
        {
            throw new ArgumentException("Busy intervals must have a start and an end.", nameof(interval));
        }
        var from = Math.Max(0, timeline.MinuteFloor(interval.Start));
        var to = Math.Min(timeline.TotalMinutes, timeline.MinuteCeiling(interval.End));
        if (from < to)
        {
            Bits.SetRange(bits, (int)from, (int)to);
        }
    }

    private string Names(PupilPlan p)
    {
        var names = p.Staff.Select(s => staffNames[s]).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    private static string Hours((int Start, int End) range) => $"{range.Start / 60:00}:{range.Start % 60:00}–{range.End / 60:00}:{range.End % 60:00}";

    private static Dictionary<string, int> Index(string[] ids) =>
        ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

    private static List<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            return [items];
        }
        return [.. items.SelectMany((head, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (int[])[head, .. rest]))];
    }

    private sealed record PupilPlan(
        PupilMeetingRequest Request,
        int[] Staff,
        string[] StaffIds,
        int Parent,
        CandidateSet Set,
        int[] Feasible,
        Dictionary<int, int>? FeasibleByStart);

    private sealed class ParentRules
    {
        private readonly (int Start, int End)[][] hard = new (int, int)[8][];
        private readonly (int Start, int End)[][] good = new (int, int)[8][];
        private readonly ParentPreference preference;
        private readonly bool hasGoodTimes;

        public ParentRules(ParentAvailability availability)
        {
            for (var d = 1; d <= 7; d++)
            {
                hard[d] = Minutes(availability.HardToAttend, (IsoDayOfWeek)d);
                good[d] = Minutes(availability.GoodTimes, (IsoDayOfWeek)d);
            }
            preference = availability.Preference;
            hasGoodTimes = availability.GoodTimes.Count > 0;
            MayUseExtendedHours = availability.MayUseExtendedHours;
        }

        public bool MayUseExtendedHours { get; }

        public bool Allows(Candidate c, Timeline timeline)
        {
            var end = c.MinuteOfDay + (c.End - c.Start);
            foreach (var r in hard[(int)timeline.Days[c.Day].DayOfWeek])
            {
                if (c.MinuteOfDay < r.End && r.Start < end)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>0 when the slot suits the parent's stated preference and good times; one more for each it misses.</summary>
        public int FitCost(Candidate c, Timeline timeline)
        {
            var cost = preference switch
            {
                ParentPreference.SchoolHours when !c.InSchoolDay => 1,
                ParentPreference.ExtendedHours when c.OverlapsSchoolDay => 1,
                _ => 0,
            };
            if (hasGoodTimes)
            {
                var end = c.MinuteOfDay + (c.End - c.Start);
                var inGoodTime = false;
                foreach (var r in good[(int)timeline.Days[c.Day].DayOfWeek])
                {
                    inGoodTime |= r.Start <= c.MinuteOfDay && end <= r.End;
                }
                cost += inGoodTime ? 0 : 1;
            }
            return cost;
        }

        private static (int Start, int End)[] Minutes(IEnumerable<WeeklyTimeRange> ranges, IsoDayOfWeek day) =>
            [.. ranges.Where(r => r.Day == day).Select(r => (Timeline.Minute(r.Hours.Start), Timeline.Minute(r.Hours.End)))];
    }
}
