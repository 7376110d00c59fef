using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Views;
using SendPlans.Tests.Booking;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Views.ParentFormClient;

namespace SendPlans.Tests.Views;

/// <summary>
/// Fifty parents send the web form at once, each for a different child, the way their phones
/// would: GET the page, then POST the answers with the page's antiforgery token and cookie.
/// Every answer must be in Azurite afterwards, and a second press of Send changes nothing.
/// </summary>
public sealed class ParentFormLoadTests : IAsyncLifetime
{
    private const string School = "elm";
    private static readonly RosterReader System = RosterReader.System("test");
    private BotFactory _bot = null!;
    private Term _term = null!;
    private readonly List<(Contact Contact, string Token)> _parents = [];

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Views:PermitsPerMinute"] = "100000" });
        var services = _bot.Services;
        var demo = DemoSchool.Generate(new DemoSchoolOptions { SchoolId = School, PupilCount = 70 });
        (await services.GetRequiredService<RosterImporter>().ApplyAsync(demo.Roster, dryRun: false, default)).Succeeded.Should().BeTrue();
        _term = BookingSchool.CurrentTerm() with { SchoolId = School };
        await services.GetRequiredService<SchoolCalendarStore>().CreateTermsAsync([_term], default);
        var views = services.GetRequiredService<ParentViewsService>();
        foreach (var pupil in await services.GetRequiredService<RosterStore>().GetPupilsWithContactsAsync(System, School, false, default))
        {
            if (pupil.Contacts.FirstOrDefault(c => c.ParentalResponsibility) is { } contact && _parents.Count < 50)
            {
                _parents.Add((contact, views.CreateLink(contact, _term)!));
            }
        }
        _parents.Should().HaveCount(50);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task SubmitForm_FiftyParentsAtOnce_EveryAnswerStored()
    {
        var sent = await Task.WhenAll(_parents.Select(async p =>
        {
            using var phone = _bot.CreateClient();
            var form = await OpenFormAsync(phone, p.Token);
            return await SendAsync(phone, p.Token, form, new JsonObject { [ParentViewsFields.GoingWell] = $"Going well for {p.Contact.Upn}" });
        }));

        sent.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK && r.RequestMessage!.RequestUri!.Query == "?saved=1",
            "each browser is sent back to its page with the saved banner");
        var store = _bot.Services.GetRequiredService<ParentViewsStore>();
        foreach (var (contact, _) in _parents)
        {
            var stored = await store.GetAsync(School, _term.Id, contact.Upn, ParentViewsService.ContactId(contact), default);
            stored.Should().NotBeNull();
            stored!.Answers[ParentViewsFields.GoingWell].Should().Be($"Going well for {contact.Upn}");
            stored.Revision.Should().Be(1);
        }
    }

    [Fact]
    public async Task SubmitForm_SendPressedTwice_StoredOnce()
    {
        var (contact, token) = _parents[0];
        using var phone = _bot.CreateClient();
        var answers = new JsonObject { [ParentViewsFields.Worries] = "Mornings are hard." };

        var form = await OpenFormAsync(phone, token);

        var first = await SendAsync(phone, token, form, answers);
        var second = await SendAsync(phone, token, form, answers);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await _bot.Services.GetRequiredService<ParentViewsStore>().GetAsync(School, _term.Id, contact.Upn, ParentViewsService.ContactId(contact), default);
        stored!.Answers[ParentViewsFields.Worries].Should().Be("Mornings are hard.");
        stored.Revision.Should().Be(1, "the same answers sent again change nothing");
    }
}
