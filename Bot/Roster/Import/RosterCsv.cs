using System.Globalization;
using System.Text;
using CsvHelper;

namespace SendPlans.Bot.Roster.Import;

public enum RosterFileKind { Pupils, Contacts, Staff }

/// <summary>A roster file as it arrived: its name (for the report) and its bytes.</summary>
public sealed record RosterFileInput(string Name, byte[] Content);

/// <summary>One bad thing in an import: the file, its line (0 for the whole file) and why.</summary>
public sealed record ImportProblem(string File, int Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"{File} line {Line}: {Reason}" : $"{File}: {Reason}";
}

/// <summary>A data row of a roster file: its line number and its values by canonical column name.</summary>
public sealed record CsvRow(int Line, IReadOnlyDictionary<string, string> Values)
{
    public string this[string column] => Values.TryGetValue(column, out var v) ? v : "";
}

public sealed record ParsedRosterFile(string Name, RosterFileKind Kind, IReadOnlyList<CsvRow> Rows);

/// <summary>
/// Reads the three roster CSV files: checks the encoding (UTF-8, with or without BOM), the
/// delimiter (commas), and the header (each required column, by name or a common MIS alias),
/// then hands back the rows by canonical column name. Values are checked by the validator.
/// </summary>
public static class RosterCsv
{
    public const int MaxFileBytes = 5 * 1024 * 1024;
    public const int MaxRows = 20_000;

    public sealed record Column(string Name, bool Required, params string[] Aliases)
    {
        public bool Matches(string header) =>
            Key(header) == Key(Name) || Aliases.Any(a => Key(a) == Key(header));
    }

    public static IReadOnlyDictionary<RosterFileKind, IReadOnlyList<Column>> Columns { get; } = new Dictionary<RosterFileKind, IReadOnlyList<Column>>
    {
        [RosterFileKind.Pupils] =
        [
            new("UPN", true, "Unique Pupil Number"),
            new("Legal Forename", true, "Forename", "First Name", "Legal First Name"),
            new("Legal Surname", true, "Surname", "Last Name", "Legal Last Name"),
            new("Year", true, "Year Group", "NC Year", "National Curriculum Year", "Year Taught In"),
            new("Reg Group", true, "Registration Group", "Class", "Form", "Reg"),
            new("SEN Status", true, "SEN Provision", "SEN"),
            new("Primary Need", true, "SEN Primary Need", "Need", "Primary Need Code"),
        ],
        [RosterFileKind.Contacts] =
        [
            new("UPN", true, "Pupil UPN", "Unique Pupil Number"),
            new("Priority", true, "Contact Priority", "Priority Order"),
            new("Relationship", true, "Relationship to Pupil", "Relation"),
            new("Parental Responsibility", true, "Parental Resp", "Has Parental Responsibility", "PR"),
            new("Email", true, "Email Address", "E-mail"),
            new("Mobile", true, "Mobile Phone", "Mobile Number", "Telephone", "Phone"),
            new("Language", false, "Preferred Language", "Home Language", "First Language"),
            new("Interpreter Needed", false, "Interpreter", "Needs Interpreter"),
        ],
        [RosterFileKind.Staff] =
        [
            new("Email", true, "Email Address", "Work Email"),
            new("Entra Object ID", true, "Entra ID", "Object ID", "Azure AD Object ID", "AAD Object ID"),
            new("Display Name", true, "Name", "Full Name"),
            new("Roles", true, "Role"),
            new("Classes", true, "Class", "Reg Groups"),
            new("Year Groups Led", false, "Year Groups", "Leads Years"),
        ],
    };

    /// <summary>Reads every file; problems name the file and line, and stop nothing else from being read.</summary>
    public static (IReadOnlyList<ParsedRosterFile> Files, IReadOnlyList<ImportProblem> Problems) Read(IEnumerable<RosterFileInput> files)
    {
        var parsed = new List<ParsedRosterFile>();
        var problems = new List<ImportProblem>();
        foreach (var file in files)
        {
            var result = ReadOne(file, problems);
            if (result is not null)
            {
                parsed.Add(result);
            }
        }
        foreach (var kind in parsed.GroupBy(f => f.Kind).Where(g => g.Count() > 1))
        {
            problems.Add(new ImportProblem(kind.Last().Name, 0, $"more than one {Describe(kind.Key)} file was given ({string.Join(", ", kind.Select(f => f.Name))}); send one of each"));
        }
        if (parsed.Count == 0 && problems.Count == 0)
        {
            problems.Add(new ImportProblem("(no files)", 0, "no roster files were given: send pupils.csv, contacts.csv and staff.csv"));
        }
        return (parsed, problems);
    }

    private static ParsedRosterFile? ReadOne(RosterFileInput file, List<ImportProblem> problems)
    {
        void Problem(int line, string reason) => problems.Add(new ImportProblem(file.Name, line, reason));

        if (file.Content.Length > MaxFileBytes)
        {
            Problem(0, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MB");
            return null;
        }
        var text = Decode(file.Content, out var encodingProblem);
        if (text is null)
        {
            Problem(encodingProblem!.Value.Line, encodingProblem.Value.Reason);
            return null;
        }
        var headerLine = text.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Trim().Length > 0);
        if (headerLine is null)
        {
            Problem(0, "the file is empty");
            return null;
        }
        if (!headerLine.Contains(',', StringComparison.Ordinal))
        {
            var found = headerLine.Contains(';', StringComparison.Ordinal) ? "semicolons (;)"
                : headerLine.Contains('\t', StringComparison.Ordinal) ? "tabs"
                : headerLine.Contains('|', StringComparison.Ordinal) ? "vertical bars (|)"
                : null;
            if (found is not null)
            {
                Problem(1, $"the columns are separated by {found}, not commas: export the file as 'CSV UTF-8 (comma delimited)'");
                return null;
            }
        }

        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => Problem((int)record.LineNumber, record.Reason switch
            {
                CsvMalformedReason.UnterminatedQuote => "a quoted value is never closed: check the quotes (\") on this line",
                _ => "a quote (\") is out of place: a value with a quote inside must be wrapped in quotes, with the inner quote doubled",
            }),
        };
        using var csv = CsvReader.FromText(text, options);
        if (csv.Headers is not { Count: > 0 } headers)
        {
            Problem(0, "the file is empty");
            return null;
        }
        var header = headers.ToArray();
        const int headerRow = 1;

        var kind = KindOf(file.Name, header);
        if (kind is null)
        {
            Problem(headerRow, "this is not a roster file I know: a pupils file starts with UPN, Legal Forename, Legal Surname, ...; a contacts file with UPN, Priority, Relationship, ...; a staff file with Email, Entra Object ID, Display Name, ...");
            return null;
        }
        var columns = Columns[kind.Value];
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = false;
        foreach (var column in columns)
        {
            var index = Array.FindIndex(header, h => column.Matches(h));
            if (index >= 0)
            {
                positions[column.Name] = index;
            }
            else if (column.Required)
            {
                Problem(headerRow, $"the required column '{column.Name}' is missing");
                missing = true;
            }
        }
        if (missing)
        {
            return null;
        }

        var rows = new List<CsvRow>();
        var badData = problems.Count;
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (rows.Count >= MaxRows)
            {
                Problem(line, $"the file has more than {MaxRows} rows");
                return null;
            }
            if (csv.FieldCount != header.Length)
            {
                Problem(line, $"this line has {csv.FieldCount} values but the header has {header.Length} columns: check for a missing or extra comma, or a value with a comma that is not in quotes");
                continue;
            }
            rows.Add(new CsvRow(line, positions.ToDictionary(p => p.Key, p => csv.GetString(p.Value).Trim(), StringComparer.Ordinal)));
        }
        if (rows.Count == 0 && problems.Count == badData)
        {
            Problem(0, "the file has a header but no rows");
            return null;
        }
        return new ParsedRosterFile(file.Name, kind.Value, rows);
    }

    /// <summary>UTF-8 text without its BOM, or null with the line of the first byte that is not UTF-8.</summary>
    private static string? Decode(byte[] content, out (int Line, string Reason)? problem)
    {
        problem = null;
        if (content is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            problem = (0, "the file is saved as UTF-16 (Unicode text); save it as 'CSV UTF-8 (comma delimited)'");
            return null;
        }
        var start = content is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content, start, content.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var offset = Math.Max(0, e.Index) + start;
            var line = 1 + content.AsSpan(0, Math.Min(offset, content.Length)).Count((byte)'\n');
            problem = (line, "the file is not UTF-8 text (it looks like Windows-1252 or another older encoding); save it as 'CSV UTF-8 (comma delimited)'");
            return null;
        }
    }

    /// <summary>
    /// By the header when it clearly matches one kind (three or more of its columns, more than
    /// any other kind); otherwise by the file's name (pupils, contacts, staff).
    /// </summary>
    internal static RosterFileKind? KindOf(string fileName, string[] header)
    {
        var scores = Columns.ToDictionary(k => k.Key, k => k.Value.Count(c => header.Any(c.Matches)));
        var best = scores.MaxBy(s => s.Value);
        if (best.Value >= 3 && scores.Count(s => s.Value == best.Value) == 1)
        {
            return best.Key;
        }
        var name = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        return name.Contains("contact", StringComparison.Ordinal) || name.Contains("parent", StringComparison.Ordinal) ? RosterFileKind.Contacts
            : name.Contains("staff", StringComparison.Ordinal) ? RosterFileKind.Staff
            : name.Contains("pupil", StringComparison.Ordinal) || name.Contains("student", StringComparison.Ordinal) ? RosterFileKind.Pupils
            : null;
    }

    public static string Describe(RosterFileKind kind) => kind switch
    {
        RosterFileKind.Pupils => "pupils",
        RosterFileKind.Contacts => "contacts",
        _ => "staff",
    };

    private static string Key(string header) => new([.. header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
