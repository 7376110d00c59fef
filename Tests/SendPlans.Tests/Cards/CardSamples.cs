using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Import;
using SendPlans.Cards.Attendance;
using SendPlans.Cards.Booking;
using SendPlans.Cards.Conversation;
using SendPlans.Cards.Model;
using SendPlans.Cards.Reports;
using SendPlans.Cards.Roster;
using SendPlans.Tests.Views;

namespace SendPlans.Tests.Cards;

/// <summary>
/// Every card the product sends, built with realistic data. A new card is not done until it
/// is listed here: the official renderer then parses it and Chromium draws it.
/// </summary>
public static class CardSamples
{
    public static IReadOnlyList<(string Name, AdaptiveCard Card)> All { get; } =
    [
        ("help-teacher", ConversationCards.Help(new HelpCardInput("Priya", "You are a teacher.",
            [new("help", "See what I can do for you."), new("book my plan meetings", "Find times for this term's plan meetings and invite parents."), new("my meetings", "See, move or cancel your upcoming plan meetings.")],
            IsKnownStaff: true))),
        ("help-unknown-user", ConversationCards.Help(new HelpCardInput(null, "I help schools run the termly plan meetings with parents.",
            [new("help", "See what I can do for you.")], IsKnownStaff: false))),
        ("welcome-personal", ConversationCards.Welcome(new WelcomeCardInput("Oakfield Primary", IsChannel: false))),
        ("welcome-channel", ConversationCards.Welcome(new WelcomeCardInput("Oakfield Primary", IsChannel: true))),
        ("booking-proposal", BookingCards.Proposal(new ProposalCardInput("2026-27-autumn", "Proposed plan meetings",
            "4 pupils on the SEN register in your classes. Meetings run from Monday 2 November to Friday 4 December; the deadline is Friday 11 December. Check the times, then press Book all to invite the parents.",
            [
                new("P823204124001", "Amelia Hartley", "Mother and Father", "Tue 10 Nov, 08:45–09:00", "Proposed", ["No email for the father"],
                    [("Wed 11 Nov, 12:00–12:15", "202611111200"), ("Thu 12 Nov, 14:30–14:45", "202611121430"), ("Fri 13 Nov, 15:20–15:35", "202611131520")], null),
                new("D823204123001", "Isla Kowalska", "Mother", "Wed 11 Nov, 12:00–12:30", "ParentChoosing", ["Interpreter needed (Polish)", "No email: phone or send a letter"],
                    [("Thu 12 Nov, 12:00–12:30", "202611121200")], "The parent will choose: Wed 11 Nov, 12:00–12:30, Thu 12 Nov, 08:15–08:45, Mon 16 Nov, 15:30–16:00"),
                new("T823204122001", "Noah Patel", "Mother", "Thu 12 Nov, 14:30–14:45", "LeftOut", ["Hard to attend: Any 09:00-15:00"], [], "Left out: Met the SENCo last week"),
                new("D823204124002", "Oliver Nwosu", "Father", "No time found", "Unplaced", [], [], "Every free slot falls in the parent's hard-to-attend times."),
            ],
            "I could not find a time for 1 pupil: the reason is under each name."))),
        ("booking-result", BookingCards.BookingResult(new ProposalCardInput("2026-27-autumn", "Plan meetings booked", "3 booked; 1 not booked yet.",
            [
                new("P823204124001", "Amelia Hartley", "Mother and Father", "Tue 10 Nov, 08:45–09:00", "Booked", [], [], "Booked; parents invited"),
                new("D823204123001", "Isla Kowalska", "Mother", "Wed 11 Nov, 12:00–12:30", "ParentChoosingBooked", [], [], "Booked; the parent may choose another of 3 times"),
                new("T823204122001", "Noah Patel", "Mother", "Thu 12 Nov, 14:30–14:45", "Proposed", [], [], "Not booked yet: the calendar did not answer"),
            ],
            "The calendar service is busy or could not be reached, so some meetings are not booked yet. Press Try again in a minute: meetings already booked will not be booked twice."), canRetry: true)),
        ("my-meetings", BookingCards.MyMeetings(new MeetingListCardInput("2026-27-autumn", "Your plan meetings", "2 upcoming plan meetings this term. Parents are told when you move or cancel one.",
            [
                new("P823204124001", "Tue 10 Nov, 08:45–09:00", "Amelia Hartley", "Mother and Father · No email for the father", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo", null,
                    [("Wed 11 Nov, 12:00–12:15", "202611111200"), ("Fri 13 Nov, 15:20–15:35", "202611131520")]),
                new("D823204123001", "Wed 11 Nov, 12:00–12:30", "Isla Kowalska", "Mother · Interpreter needed (Polish)", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo2", null, []),
            ],
            "Moved to Wed 11 Nov, 12:00–12:15. The parent has been sent the new time."))),
        ("reschedule", BookingCards.Reschedule(new RescheduleCardInput("2026-27-autumn", "P823204124001", "Amelia Hartley", "Mother and Father · No email for the father",
            "Tue 10 Nov, 08:45–09:00", "These times are free in your calendar now, in the meeting window (to Friday 4 December). The parent is sent the new time.",
            [("Wed 11 Nov, 12:00–12:15", "202611111200"), ("Thu 12 Nov, 15:30–15:45", "202611121530"), ("Mon 16 Nov, 08:15–08:30", "202611160815")], null))),
        ("reschedule-calendar-unavailable", BookingCards.Reschedule(new RescheduleCardInput("2026-27-autumn", "D823204123001", "Isla Kowalska", "Mother · Interpreter needed (Polish)",
            "Wed 11 Nov, 12:00–12:30", "Times found earlier for this meeting:",
            [("Thu 12 Nov, 12:00–12:30", "202611121200"), ("Mon 16 Nov, 15:30–16:00", "202611161530")],
            "I could not read your calendar just now, so these are the times found earlier, not checked again yet. Each is checked before the meeting moves."))),
        ("reschedule-no-time", BookingCards.Reschedule(new RescheduleCardInput("2026-27-autumn", "D823204124002", "Oliver Nwosu", "Father",
            "Thu 12 Nov, 14:30–14:45", "", [],
            "No time is free in your calendar for this meeting in the meeting window (to Friday 4 December). Ask your SENCo to extend the window, or free some time in your calendar, then press Reschedule again."))),
        ("deadline-watch", BookingCards.MeetingList(new MeetingListCardInput("2026-27-autumn", "Plan meetings still to book",
            "The deadline for this term's plan meetings is Friday 11 December. These pupils have no meeting booked yet.",
            [new("P823204124001", "", "Amelia Hartley", "Class RA · not booked", null, null, []), new("D823204124002", "", "Oliver Nwosu", "Class RB · not booked", null, null, [])], null),
            "book my plan meetings")),
        ("morning-list", BookingCards.MeetingList(new MeetingListCardInput("2026-27-autumn", "Today's plan meetings", "You have 2 plan meetings today, Tuesday 10 November.",
            [
                new("P823204124001", "08:45", "Amelia Hartley", "Read the plan and the views before you join", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo", null, [], "plan for Amelia Hartley"),
                new("D823204123001", "12:00", "Isla Kowalska", "Interpreter needed · Read the plan and the views before you join", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo2", null, [], "plan for Isla Kowalska"),
            ], null), "my meetings")),
        ("followup-alert-open", AttendanceCards.FollowUpAlert(new FollowUpAlertInput("oak", "f1", "Freya O'Connor", "3A", "Priya Shah",
            "The parent did not attend the plan meeting on Wed 25 Nov 15:30.", 1, true, "Polish", "Mother: prefers phone; hard to attend Mon 08:30-09:30",
            "Open", null, false, [new("Wed 25 Nov 16:40", "SendPlans", "alert raised")]))),
        ("followup-alert-claimed", AttendanceCards.FollowUpAlert(new FollowUpAlertInput("oak", "f1", "Freya O'Connor", "3A", "Priya Shah",
            "The parent did not attend the plan meeting on Wed 25 Nov 15:30.", 0, false, null, "Foster carer: prefers email",
            "Being followed up", "Priya Shah", false,
            [new("Wed 25 Nov 16:40", "SendPlans", "alert raised"), new("Wed 25 Nov 16:52", "Priya Shah", "will follow up")]))),
        ("followup-alert-declined", AttendanceCards.FollowUpAlert(new FollowUpAlertInput("oak", "f1", "Leo Ahmed", "4A", "Priya Shah",
            "The parent has given no views and did not answer the invitation by the deadline.", 0, false, null, "Father: prefers text message",
            "Closed: the parent declined", "Priya Shah", true,
            [new("Mon 30 Nov 09:00", "SendPlans", "alert raised"), new("Mon 30 Nov 10:15", "Priya Shah", "contacted the parent: declined (works nights; will read the plan at home)")]))),
        ("attendance-question", AttendanceCards.AttendanceQuestion(new AttendanceQuestionInput("oak", "m1", "Freya O'Connor", "Plan meeting, Wednesday 25 November 15:30",
            "Teams has no attendance report for this meeting, so please tell me.", null))),
        ("attendance-answered", AttendanceCards.AttendanceQuestion(new AttendanceQuestionInput("oak", "m1", "Freya O'Connor", "Plan meeting, Wednesday 25 November 15:30",
            "Thank you for telling me.", "Did not attend"))),
        ("weekly-digest-year", AttendanceCards.WeeklyDigest(new DigestInput("Year 3: plan meetings this week", "Week of 23 November 2026", 11, 2, 1, 4, 3,
            [new("Freya O'Connor (3A)", "being followed up", "Priya Shah", 6, true), new("Ava Lewis (3B)", "open", null, 1, false)]))),
        ("moderation", AttendanceCards.Moderation(new ModerationInput("oak", "2026-27-autumn", "G823204121001", "Freya O'Connor", "3A",
            ["Freya will read a short sentence aloud using her phonics cards, 4 times out of 5.", "Freya will ask for help with a 'help' card in maths lessons.", "Freya will join a game with two friends at lunchtime twice a week."], null))),
        ("moderation-approved", AttendanceCards.Moderation(new ModerationInput("oak", "2026-27-autumn", "G823204121001", "Freya O'Connor", "3A",
            ["Freya will read a short sentence aloud using her phonics cards, 4 times out of 5.", "Freya will ask for help with a 'help' card in maths lessons."], "approved"))),
        ("dashboard-summary", ReportCards.DashboardSummary(new DashboardSummaryInput("Oakfield Primary", "Autumn term 2026-27", 260, 251, 238, 9, 12, 3,
            96.4, 99, 81.5, 74.2, "https://sendplans.example.org/dashboard/oak"))),
        ("you-said-we-did", YouSaidWeDidCards.Summary(new YouSaidWeDidSummary("Oakfield Primary", "Autumn term 2026-27",
            [new("Reception", 12, 9, 4, 5, 4), new("Year 3", 20, 15, 7, 9, 6), new("Year 4", 18, 11, 3, 4, 4)],
            [
                new("Reception", "Help with toilet training at school, the same way we do it at home.", ["[name] will tell an adult when she needs the toilet, using her picture card."]),
                new("Year 3", "Making friends / Break times are hard", ["[name] will play a game with two friends at break, with an adult close by.", "[name] will tell an adult when he feels upset."]),
            ], 12))),
        ("import-report", RosterCards.ImportReport(TeamsRosterImport.CardInput(new ImportReport("oak", false, ["pupils.csv", "contacts.csv", "staff.csv"], [],
            [
                new(RosterFileKind.Pupils, ChangeKind.Added, Upn.Create("823204125001"), "year R, class RA"),
                new(RosterFileKind.Pupils, ChangeKind.Changed, "G823204121001", "class 3B to 3A, primary need MLD to SLCN"),
                new(RosterFileKind.Pupils, ChangeKind.Archived, Upn.Create("823204118001")),
                new(RosterFileKind.Contacts, ChangeKind.Added, $"{Upn.Create("823204125001")} #1", "Mother"),
                new(RosterFileKind.Contacts, ChangeKind.Changed, "D823204123001 #2", "email, mobile"),
                new(RosterFileKind.Staff, ChangeKind.Returned, "tom.ellis@oakfield.example.org", "Teacher"),
            ],
            [new(RosterFileKind.Pupils, 1, 1, 1, 257), new(RosterFileKind.Contacts, 1, 1, 0, 412), new(RosterFileKind.Staff, 1, 0, 0, 38)]), "Oakfield Primary"))),
        ("import-report-problems", RosterCards.ImportReport(TeamsRosterImport.CardInput(ImportReport.Refused("oak", false, ["pupils.csv", "contacts.csv", "staff.csv"],
            [
                new("pupils.csv", 14, "UPN 82320412500: a UPN has 13 characters; this one has 11"),
                new("pupils.csv", 31, "'Y3' is not a year group: use N1, N2, R or 1 to 13"),
                new("contacts.csv", 52, "the contact has neither an email address nor a mobile number, so the school could not reach them"),
                new("staff.csv", 1, "the required column 'Entra Object ID' is missing"),
            ]), "Oakfield Primary"))),
        .. ViewsCardSamples.All,
    ];
}
