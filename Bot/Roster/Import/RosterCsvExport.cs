using System.Text;
using CsvHelper;

namespace SendPlans.Bot.Roster.Import;

/// <summary>
/// Writes a roster as the three import files, in the documented format. The demo school, the
/// sample files and the benchmark use it, so what they import is what an MIS export looks like.
/// </summary>
public static class RosterCsvExport
{
    public static IReadOnlyList<RosterFileInput> ToFiles(RosterSnapshot roster)
    {
        var files = new List<RosterFileInput>();
        if (roster.Pupils is { } pupils)
        {
            files.Add(new("pupils.csv", Write(
                ["UPN", "Legal Forename", "Legal Surname", "Year", "Reg Group", "SEN Status", "Primary Need"],
                pupils.Select(p => new[] { p.Upn, p.LegalForename, p.LegalSurname, p.YearGroup.Code, p.ClassName, p.SenStatus.ToString(), p.PrimaryNeed.ToString() }))));
        }
        if (roster.Contacts is { } contacts)
        {
            files.Add(new("contacts.csv", Write(
                ["UPN", "Priority", "Relationship", "Parental Responsibility", "Email", "Mobile", "Language", "Interpreter Needed"],
                contacts.Select(c => new[]
                {
                    c.Upn, c.Priority.ToString(), c.Relationship, c.ParentalResponsibility ? "Y" : "N",
                    c.Email ?? "", c.Mobile ?? "", c.PreferredLanguage, c.InterpreterNeeded ? "Y" : "N",
                }))));
        }
        if (roster.Staff is { } staff)
        {
            files.Add(new("staff.csv", Write(
                ["Email", "Entra Object ID", "Display Name", "Roles", "Classes", "Year Groups Led"],
                staff.Select(s => new[]
                {
                    s.Member.Email, s.Member.EntraObjectId, s.Member.DisplayName,
                    string.Join(";", s.Member.Roles.Order()), string.Join(";", s.Member.Classes), string.Join(";", s.YearGroupsLed.Select(y => y.Code)),
                }))));
        }
        return files;
    }

    private static byte[] Write(string[] header, IEnumerable<string[]> rows)
    {
        using var text = new StringWriter();
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Separator = ',', NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteRecord(header);
            foreach (var row in rows)
            {
                csv.WriteRecord(row);
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
