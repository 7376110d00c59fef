using System.Net;
using System.Text.RegularExpressions;

namespace SendPlans.Tests.Booking;

/// <summary>The parent's booking page driven over HTTP, as a browser posts its form (cookie and antiforgery token included).</summary>
public sealed partial class ParentPage(HttpClient client)
{
    /// <summary>The path of the booking link in an invitation.</summary>
    public static string LinkFrom(string html) =>
        new Uri(WebUtility.HtmlDecode(BookingLink().Match(html).Groups[1].Value)).PathAndQuery;

    public async Task<string> OpenAsync(string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> ChooseAsync(string path, string formHtml, string choice, params (string Name, string Value)[] more)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", WebUtility.HtmlDecode(Token().Match(formHtml).Groups[1].Value)),
            new("choice", choice),
        };
        fields.AddRange(more.Select(m => new KeyValuePair<string, string>(m.Name, m.Value)));
        var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("href=\"([^\"]*/booking/[^\"]+)\"")]
    private static partial Regex BookingLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
