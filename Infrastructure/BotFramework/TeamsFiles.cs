using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>A file a user sent the bot in Teams: its name and the pre-authorised URL to fetch it from.</summary>
public sealed record TeamsFile(string Name, string DownloadUrl, string? FileType);

public sealed class TeamsFileDownloadException(string reason) : Exception(reason);

/// <summary>
/// Files sent to the bot in a Teams personal chat. Teams delivers each as an attachment of
/// type <see cref="DownloadInfoContentType"/> whose content holds downloadUrl, fileType and uniqueId.
/// </summary>
public sealed class TeamsFileDownloader(HttpClient http)
{
    public const string DownloadInfoContentType = "application/vnd.microsoft.teams.file.download.info";

    public static bool HasFiles(Activity activity) =>
        activity.Attachments?.Any(a => a.ContentType == DownloadInfoContentType) == true;

    public static IReadOnlyList<TeamsFile> FilesOf(Activity activity) =>
        [.. (activity.Attachments ?? [])
            .Where(a => a.ContentType == DownloadInfoContentType)
            .Select(a => new TeamsFile(
                a.Name ?? "file",
                StringOf(a.Content, "downloadUrl") ?? a.ContentUrl ?? "",
                StringOf(a.Content, "fileType")))];

    /// <summary>
    /// The file's bytes. Only https URLs are fetched (http only on loopback, for local tests),
    /// no credentials are sent (the URL carries its own short-lived authorisation), and a file
    /// larger than <paramref name="maxBytes"/> is refused without being read to the end.
    /// </summary>
    public async Task<byte[]> DownloadAsync(TeamsFile file, int maxBytes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(file.DownloadUrl, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw new TeamsFileDownloadException("its download link is not a secure (https) link");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new TeamsFileDownloadException($"Teams answered {(int)response.StatusCode} when I fetched it; send it again");
        }
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new TeamsFileDownloadException($"it is larger than {maxBytes / (1024 * 1024)} MB");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new TeamsFileDownloadException($"it is larger than {maxBytes / (1024 * 1024)} MB");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? StringOf(JsonNode? content, string name) =>
        content is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
