using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace SendPlans.Bot.Roster.Import;

/// <summary>A member of staff as the staff file gives them, with the year groups they lead.</summary>
public sealed record StaffRecord(StaffMember Member, IReadOnlyList<YearGroup> YearGroupsLed);

/// <summary>
/// What one import says the school's roster is. A null list means that file was not given,
/// and what the store holds of that kind stays as it is.
/// </summary>
public sealed record RosterSnapshot(
    string SchoolId,
    IReadOnlyList<Pupil>? Pupils,
    IReadOnlyList<Contact>? Contacts,
    IReadOnlyList<StaffRecord>? Staff);

/// <summary>
/// Turns parsed roster rows into records, or into a problem per bad row. Checks the UPN's
/// check letter, year group, SEN status, need code, duplicates, contacts for unknown pupils,
/// email and mobile shapes, booleans and roles. Pure: no I/O.
/// </summary>
public static partial class RosterValidator
{
    public static (RosterSnapshot? Snapshot, IReadOnlyList<ImportProblem> Problems) Validate(
        string schoolId,
        IReadOnlyList<ParsedRosterFile> files,
        IReadOnlyCollection<Pupil> storedPupils)
    {
        var problems = new List<ImportProblem>();
        var pupilsFile = files.FirstOrDefault(f => f.Kind == RosterFileKind.Pupils);
        var contactsFile = files.FirstOrDefault(f => f.Kind == RosterFileKind.Contacts);
        var staffFile = files.FirstOrDefault(f => f.Kind == RosterFileKind.Staff);

        var pupils = pupilsFile is null ? null : ValidatePupils(schoolId, pupilsFile, problems);
        // Contacts are checked against the pupils file when it came, otherwise against the store.
        var knownPupils = (pupils ?? [.. storedPupils.Where(p => !p.IsArchived)]).ToDictionary(p => p.Upn, StringComparer.Ordinal);
        var knownFrom = pupilsFile is null ? "is not a current pupil on the roster" : $"is not in the pupils file ({pupilsFile.Name})";
        var contacts = contactsFile is null ? null : ValidateContacts(schoolId, contactsFile, knownPupils, knownFrom, problems);
        var classYears = knownPupils.Values
            .GroupBy(p => p.ClassName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.GroupBy(p => p.YearGroup).MaxBy(y => y.Count())!.Key, StringComparer.OrdinalIgnoreCase);
        var staff = staffFile is null ? null : ValidateStaff(schoolId, staffFile, classYears, problems);

        return problems.Count > 0
            ? (null, problems)
            : (new RosterSnapshot(schoolId, pupils, contacts, staff), problems);
    }

    private static List<Pupil> ValidatePupils(string schoolId, ParsedRosterFile file, List<ImportProblem> problems)
    {
        var pupils = new List<Pupil>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var errors = new List<string>();
            var upn = Upn.Normalise(row["UPN"]);
            if (Upn.Problem(upn) is { } upnProblem)
            {
                errors.Add(upn.Length == 0 ? upnProblem : $"UPN {upn}: {upnProblem}");
            }
            else if (firstLine.TryGetValue(upn, out var first))
            {
                errors.Add($"UPN {upn} appears more than once (first on line {first})");
            }
            else
            {
                firstLine[upn] = row.Line;
            }
            var forename = Name(row["Legal Forename"], "Legal Forename", errors);
            var surname = Name(row["Legal Surname"], "Legal Surname", errors);
            if (!YearGroup.TryParse(row["Year"], out var year))
            {
                errors.Add(row["Year"].Length == 0
                    ? "the year group is missing"
                    : $"'{row["Year"]}' is not a year group: use N1, N2, R or 1 to 13");
            }
            var className = ClassName(row["Reg Group"], "registration group", errors);
            var status = ParseSenStatus(row["SEN Status"], errors);
            var need = ParseNeed(row["Primary Need"], errors);
            if (errors.Count > 0)
            {
                problems.AddRange(errors.Select(e => new ImportProblem(file.Name, row.Line, e)));
                continue;
            }
            pupils.Add(new Pupil(schoolId, upn, forename!, surname!, year, className!, status!.Value, need!.Value));
        }
        return pupils;
    }

    private static List<Contact> ValidateContacts(
        string schoolId, ParsedRosterFile file, Dictionary<string, Pupil> pupils, string unknownPupil, List<ImportProblem> problems)
    {
        var contacts = new List<Contact>();
        var firstLine = new Dictionary<(string, int), int>();
        foreach (var row in file.Rows)
        {
            var errors = new List<string>();
            var upn = Upn.Normalise(row["UPN"]);
            Pupil? pupil = null;
            if (Upn.Problem(upn) is { } upnProblem)
            {
                errors.Add(upn.Length == 0 ? upnProblem : $"UPN {upn}: {upnProblem}");
            }
            else if (!pupils.TryGetValue(upn, out pupil))
            {
                errors.Add($"this contact is for UPN {upn}, which {unknownPupil}");
            }
            if (!int.TryParse(row["Priority"], NumberStyles.None, CultureInfo.InvariantCulture, out var priority) || priority is < 1 or > 99)
            {
                errors.Add($"'{row["Priority"]}' is not a contact priority: use a whole number from 1 (first contact) to 99");
            }
            else if (pupil is not null && firstLine.TryGetValue((upn, priority), out var first))
            {
                errors.Add($"UPN {upn} has two contacts with priority {priority} (the other is on line {first})");
            }
            else if (pupil is not null)
            {
                firstLine[(upn, priority)] = row.Line;
            }
            var relationship = row["Relationship"];
            if (relationship.Length == 0)
            {
                errors.Add("the relationship is missing (for example Mother, Father, Carer, Grandparent)");
            }
            else if (relationship.Length > 40)
            {
                errors.Add("the relationship is longer than 40 characters");
            }
            var responsibility = YesNo(row["Parental Responsibility"], "Parental Responsibility", required: true, errors);
            var email = row["Email"].Length == 0 ? null : row["Email"];
            if (email is not null && !IsEmail(email))
            {
                errors.Add($"'{email}' is not an email address");
            }
            var mobile = row["Mobile"].Length == 0 ? null : NormaliseMobile(row["Mobile"]);
            if (row["Mobile"].Length > 0 && mobile is null)
            {
                errors.Add($"'{row["Mobile"]}' is not a phone number: use 10 to 15 digits, optionally starting with +");
            }
            if (email is null && row["Mobile"].Length == 0)
            {
                errors.Add("the contact has neither an email address nor a mobile number, so the school could not reach them");
            }
            var language = row["Language"].Length == 0 ? "English" : row["Language"];
            if (language.Length > 40)
            {
                errors.Add("the language is longer than 40 characters");
            }
            var interpreter = YesNo(row["Interpreter Needed"], "Interpreter Needed", required: false, errors);
            if (errors.Count > 0)
            {
                problems.AddRange(errors.Select(e => new ImportProblem(file.Name, row.Line, e)));
                continue;
            }
            contacts.Add(new Contact(schoolId, upn, priority, relationship, responsibility!.Value, email, mobile, language, interpreter ?? false));
        }
        return contacts;
    }

    private static List<StaffRecord> ValidateStaff(
        string schoolId, ParsedRosterFile file, Dictionary<string, YearGroup> classYears, List<ImportProblem> problems)
    {
        var staff = new List<StaffRecord>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var emails = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in file.Rows)
        {
            var errors = new List<string>();
            var email = row["Email"];
            if (email.Length == 0)
            {
                errors.Add("the email address is missing");
            }
            else if (!IsEmail(email))
            {
                errors.Add($"'{email}' is not an email address");
            }
            else if (emails.TryGetValue(email, out var firstEmail))
            {
                errors.Add($"{email} appears more than once (first on line {firstEmail})");
            }
            else
            {
                emails[email] = row.Line;
            }
            string? id = null;
            if (!Guid.TryParse(row["Entra Object ID"], out var guid))
            {
                errors.Add(row["Entra Object ID"].Length == 0
                    ? "the Entra object ID is missing: it is the member of staff's Object ID in Entra ID (Azure AD)"
                    : $"'{row["Entra Object ID"]}' is not an Entra object ID (a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e)");
            }
            else if (ids.TryGetValue(guid.ToString(), out var firstId))
            {
                errors.Add($"Entra object ID {guid} appears more than once (first on line {firstId})");
            }
            else
            {
                id = guid.ToString();
                ids[id] = row.Line;
            }
            var name = Name(row["Display Name"], "Display Name", errors);
            var roles = new HashSet<StaffRole>();
            foreach (var text in StaffDirectory.SplitList(row["Roles"]))
            {
                if (ParseRole(text) is { } role)
                {
                    roles.Add(role);
                }
                else
                {
                    errors.Add($"'{text}' is not a role: use Teacher, TA, YearLead, SENCo, SLT or Admin");
                }
            }
            if (!StaffDirectory.SplitList(row["Roles"]).Any())
            {
                errors.Add("the member of staff has no role: use one or more of Teacher, TA, YearLead, SENCo, SLT, Admin");
            }
            if (roles.Contains(StaffRole.Teacher) && roles.Contains(StaffRole.TeachingAssistant))
            {
                // Their classes are one list: a teacher in one class and a TA in another could change targets in both.
                errors.Add($"{name ?? "This member of staff"} is listed as both a teacher and a teaching assistant: give them one of the two");
            }
            var classes = new List<string>();
            foreach (var text in StaffDirectory.SplitList(row["Classes"]))
            {
                if (ClassName(text, "class", errors) is { } c && !classes.Contains(c, StringComparer.OrdinalIgnoreCase))
                {
                    // The pupils' spelling wins, so "3b" here and "3B" there are one class.
                    classes.Add(classYears.Keys.FirstOrDefault(k => k.Equals(c, StringComparison.OrdinalIgnoreCase)) ?? c);
                }
            }
            var led = new List<YearGroup>();
            foreach (var text in StaffDirectory.SplitList(row["Year Groups Led"]))
            {
                if (YearGroup.TryParse(text, out var y))
                {
                    led.Add(y);
                }
                else
                {
                    errors.Add($"'{text}' is not a year group: use N1, N2, R or 1 to 13");
                }
            }
            if (roles.Contains(StaffRole.YearLead) && led.Count == 0)
            {
                led.AddRange(classes.Where(classYears.ContainsKey).Select(c => classYears[c]));
                if (led.Count == 0)
                {
                    errors.Add("a year lead needs the year groups they lead: fill in 'Year Groups Led' (for example 3;4)");
                }
            }
            if (errors.Count > 0)
            {
                problems.AddRange(errors.Select(e => new ImportProblem(file.Name, row.Line, e)));
                continue;
            }
            var member = new StaffMember(schoolId, id!, email, name!, roles, classes);
            staff.Add(new StaffRecord(member, [.. led.Distinct().OrderBy(y => y.Order)]));
        }
        return staff;
    }

    private static string? Name(string value, string column, List<string> errors)
    {
        if (value.Length == 0)
        {
            errors.Add($"the {column} is missing");
            return null;
        }
        if (value.Length > 100)
        {
            errors.Add($"the {column} is longer than 100 characters");
            return null;
        }
        return value;
    }

    private static string? ClassName(string value, string what, List<string> errors)
    {
        var name = Spaces().Replace(value.Trim(), " ");
        if (name.Length == 0)
        {
            errors.Add($"the {what} is missing");
            return null;
        }
        if (!ClassPattern().IsMatch(name))
        {
            errors.Add($"'{name}' is not a {what} name: use up to 20 letters, digits, spaces, hyphens or apostrophes");
            return null;
        }
        return name;
    }

    private static SenStatus? ParseSenStatus(string value, List<string> errors)
    {
        switch (value.ToUpperInvariant())
        {
            case "K":
                return SenStatus.K;
            case "E":
                return SenStatus.E;
            case "":
                errors.Add("the SEN status is missing: use K (SEN support) or E (EHC plan)");
                return null;
            case "N":
                errors.Add("SEN status 'N' means no special educational need, so the pupil does not belong on this roster: use K (SEN support) or E (EHC plan)");
                return null;
            default:
                errors.Add($"'{value}' is not a SEN status: use K (SEN support) or E (EHC plan)");
                return null;
        }
    }

    private static NeedCode? ParseNeed(string value, List<string> errors)
    {
        if (value.Length == 0)
        {
            errors.Add("the primary need is missing");
            return null;
        }
        if (value.All(char.IsAsciiLetter) && Enum.TryParse<NeedCode>(value, ignoreCase: true, out var need))
        {
            return need;
        }
        errors.Add($"'{value}' is not a primary need code: use one of {string.Join(", ", Enum.GetNames<NeedCode>())}");
        return null;
    }

    private static bool? YesNo(string value, string column, bool required, List<string> errors)
    {
        switch (value.ToUpperInvariant())
        {
            case "Y" or "YES" or "TRUE" or "1":
                return true;
            case "N" or "NO" or "FALSE" or "0":
                return false;
            case "" when !required:
                return null;
            default:
                errors.Add(value.Length == 0 ? $"{column} is missing: use Y or N" : $"'{value}' is not a valid {column} value: use Y or N");
                return null;
        }
    }

    internal static StaffRole? ParseRole(string text) =>
        Spaces().Replace(text, "").ToUpperInvariant() switch
        {
            "TEACHER" or "CLASSTEACHER" => StaffRole.Teacher,
            "YEARLEAD" or "YEARLEADER" or "HEADOFYEAR" or "PHASELEAD" => StaffRole.YearLead,
            "SENCO" or "SENDCO" => StaffRole.SENCo,
            "SLT" or "SENIORLEADER" => StaffRole.SLT,
            "ADMIN" or "ADMINISTRATOR" => StaffRole.Admin,
            "TA" or "TEACHINGASSISTANT" or "HLTA" => StaffRole.TeachingAssistant,
            _ => null,
        };

    internal static bool IsEmail(string value) =>
        value.Length <= 254
        && EmailPattern().IsMatch(value)
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value;

    /// <summary>Digits with an optional leading +; spaces, dashes, dots and brackets dropped. Null when not a phone number.</summary>
    internal static string? NormaliseMobile(string value)
    {
        var compact = new string([.. value.Where(c => c is not (' ' or '-' or '(' or ')' or '.'))]);
        var digits = compact.StartsWith('+') ? compact[1..] : compact;
        return digits.Length is >= 10 and <= 15 && digits.All(char.IsAsciiDigit) ? compact : null;
    }

    [GeneratedRegex(@"^[^@\s,;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} '\-]{0,19}$")]
    private static partial Regex ClassPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
