using System.Text.RegularExpressions;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Reports;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.AfterMeeting;

/// <summary>
/// "You said, we did" (seed 004): per year group, how many pupils' parents gave views, wrote a
/// worry, or asked school to work on something, and for how many of those the agreed targets
/// were then recorded; and, with no names, what parents asked beside what was agreed.
/// </summary>
public static class YouSaidWeDid
{
    public const int MaxItems = 10;
    public const int MaxItemLength = 200;

    public static YouSaidWeDidSummary Count(string schoolName, string termTitle, IReadOnlyList<Pupil> pupils, IReadOnlyList<Plan> plans, IReadOnlyList<ParentViews> given)
    {
        var current = pupils.Where(p => !p.IsArchived).ToList();
        var plansByUpn = plans.GroupBy(p => p.Upn).ToDictionary(g => g.Key, g => g.First());
        var viewsByUpn = given.GroupBy(v => v.Upn).ToDictionary(g => g.Key, g => g.ToList());
        var rows = new List<(YearGroup Year, Pupil Pupil, bool Views, bool Worry, IReadOnlyList<string> Asked, AgreedNotes? Agreed)>();
        foreach (var pupil in current)
        {
            var answers = viewsByUpn.GetValueOrDefault(pupil.Upn) ?? [];
            var asked = answers.Select(v => v.Answers.GetValueOrDefault(ParentViewsFields.WorkOn)?.Trim()).OfType<string>().Where(a => a.Length > 0).ToList();
            var worry = answers.Any(v => !string.IsNullOrWhiteSpace(v.Answers.GetValueOrDefault(ParentViewsFields.Worries)));
            rows.Add((pupil.YearGroup, pupil, answers.Count > 0, worry, asked, plansByUpn.GetValueOrDefault(pupil.Upn)?.Agreed));
        }
        var years = rows.GroupBy(r => r.Year).OrderBy(g => g.Key.Order)
            .Select(g => new YouSaidWeDidYear(g.Key.DisplayName, g.Count(), g.Count(r => r.Views), g.Count(r => r.Worry), g.Count(r => r.Asked.Count > 0),
                g.Count(r => r.Asked.Count > 0 && r.Agreed is not null)))
            .ToList();
        var anyPupil = PupilNames(pupils);
        var items = rows.Where(r => r.Asked.Count > 0 && r.Agreed is not null)
            .OrderBy(r => r.Year.Order).ThenBy(r => r.Pupil.Upn, StringComparer.Ordinal)
            .Select(r => new YouSaidWeDidItem(r.Year.DisplayName, Cut(Anonymise(string.Join(" / ", r.Asked), r.Pupil, anyPupil)), [.. r.Agreed!.Targets.Select(t => Cut(Anonymise(t, r.Pupil, anyPupil)))]))
            .ToList();
        return new YouSaidWeDidSummary(schoolName, termTitle, years, [.. items.Take(MaxItems)], Math.Max(0, items.Count - MaxItems));
    }

    /// <summary>
    /// Names become "[name]", as the summary may be shown in a meeting: the pupil's own in any case
    /// ("AMELIA"), and any other pupil's on the school's roster (a brother, a friend) written as a
    /// name is, with its capital, so that a pupil called Will does not hide every "will".
    /// </summary>
    public static string Anonymise(string text, Pupil pupil, Regex? anyPupil = null)
    {
        foreach (var name in new[] { pupil.LegalForename, pupil.LegalSurname }.Where(n => n.Length > 1))
        {
            text = Regex.Replace(text, $@"\b{Regex.Escape(name)}\b", "[name]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        return anyPupil?.Replace(text, "[name]") ?? text;
    }

    /// <summary>Every pupil's forename and surname on the roster, as whole capitalised words, longest first.</summary>
    private static Regex? PupilNames(IReadOnlyList<Pupil> pupils)
    {
        var names = pupils.SelectMany(p => new[] { p.LegalForename, p.LegalSurname }).Where(n => n.Length > 1 && char.IsUpper(n[0]))
            .Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).Select(Regex.Escape).ToList();
        return names.Count == 0 ? null : new Regex($@"\b(?:{string.Join('|', names)})\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string Cut(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= MaxItemLength ? oneLine : oneLine[..(MaxItemLength - 1)].TrimEnd() + "…";
    }
}

/// <summary>
/// Reads the term's pupils, plans and views for the summary, as the SENCo or SLT member asking
/// (so the plan reads are audited). The Teams card and the dashboard page and CSV all use it.
/// </summary>
public sealed partial class YouSaidWeDidReport(RosterStore roster, ParentViewsStore views, SchoolCalendarStore calendar)
{
    /// <summary>The SENCo and SLT read every plan; a year lead or teacher sees only their own, so not the school's summary.</summary>
    public static readonly StaffRole[] Roles = [StaffRole.SENCo, StaffRole.SLT];

    /// <summary>
    /// The term a SENCo or SLT member asked for: this (or the next) term when they named none,
    /// "last term", or a term's name with or without its year ("summer", "summer 2025-26").
    /// Null when nothing matches, with the school's terms to suggest.
    /// </summary>
    public async Task<(Term? Term, IReadOnlyList<Term> Terms)> FindTermAsync(string schoolId, string? wanted, CancellationToken cancellationToken)
    {
        var terms = await calendar.AllTermsAsync(schoolId, cancellationToken);
        var current = await calendar.CurrentOrNextTermAsync(schoolId, cancellationToken);
        var text = wanted?.Trim().ToLowerInvariant() ?? "";
        if (text is "" or "this term")
        {
            return (current, terms);
        }
        var started = terms.Where(t => current is null || t.Start <= current.Start).ToList();
        if (text is "last term" or "previous term")
        {
            return (current is null ? started.LastOrDefault() : started.LastOrDefault(t => t.Start < current.Start), terms);
        }
        var year = TermYear().Match(text) is { Success: true } m ? m.Value : null;
        var name = Enum.GetValues<TermName>().Where(n => text.Contains(n.ToString(), StringComparison.OrdinalIgnoreCase)).Select(n => (TermName?)n).FirstOrDefault();
        if (year is null && name is null)
        {
            return (null, terms);
        }
        var matches = terms.Where(t => (year is null || t.AcademicYear == year) && (name is null || t.Name == name)).ToList();
        // "summer" alone: the latest summer that has begun, else the one coming.
        return (matches.LastOrDefault(t => started.Contains(t)) ?? matches.FirstOrDefault(), terms);
    }

    /// <summary>
    /// For the dashboard, where the term comes by id (<c>?term=</c>): that term's summary, or the
    /// current (or next) term's when <paramref name="termId"/> is null; null when there is no such term.
    /// </summary>
    public async Task<(Term Term, IReadOnlyList<Term> Terms, YouSaidWeDidSummary Summary)?> ForTermIdAsync(RosterReader reader, string schoolId, string? termId, CancellationToken cancellationToken)
    {
        var terms = await calendar.AllTermsAsync(schoolId, cancellationToken);
        var term = termId is null
            ? await calendar.CurrentOrNextTermAsync(schoolId, cancellationToken)
            : terms.FirstOrDefault(t => string.Equals(t.Id, termId, StringComparison.Ordinal));
        return term is null ? null : (term, terms, await ForTermAsync(reader, term, cancellationToken));
    }

    public async Task<YouSaidWeDidSummary> ForTermAsync(RosterReader reader, Term term, CancellationToken cancellationToken)
    {
        var pupils = await roster.GetPupilsAsync(reader, term.SchoolId, includeArchived: false, cancellationToken);
        var plans = await roster.GetPlansAsync(reader, term.SchoolId, term.Id, cancellationToken);
        var given = await views.ForTermAsync(term.SchoolId, term.Id, cancellationToken);
        var school = (await calendar.GetSettingsAsync(term.SchoolId, cancellationToken))?.Name ?? term.SchoolId;
        return YouSaidWeDid.Count(school, $"{term.Name} term {term.AcademicYear}", pupils, plans, given);
    }

    [GeneratedRegex(@"\d{4}-\d{2}")]
    private static partial Regex TermYear();
}
