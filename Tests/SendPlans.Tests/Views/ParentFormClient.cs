using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SendPlans.Tests.Views;

/// <summary>The parent form as a phone uses it without script: GET the page, then POST the answers with its antiforgery token and cookie.</summary>
internal static partial class ParentFormClient
{
    /// <summary>Opens the form; returns the antiforgery field the page carries.</summary>
    public static async Task<KeyValuePair<string, string>> OpenFormAsync(HttpClient phone, string token)
    {
        var page = await (await phone.GetAsync($"/views/{token}")).Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(page);
        antiforgery.Success.Should().BeTrue("the form carries an antiforgery token");
        return new(antiforgery.Groups["name"].Value, antiforgery.Groups["value"].Value);
    }

    /// <summary>Presses Send on an open form; returns the page the browser ends on.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient phone, string token, KeyValuePair<string, string> antiforgery, JsonObject answers) =>
        await phone.PostAsync($"/views/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Key] = antiforgery.Value,
            ["answers"] = answers.ToJsonString(),
        }));

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
