using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Hosting;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Hosting;

/// <summary>A bad configuration fails at boot, with a message that names the key to fix.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("http://0.0.0.0:3978")]
    [InlineData("http://+:80")]
    [InlineData("http://bot.school.example:3978")]
    [InlineData("http://127.0.0.1:3978;http://10.1.2.3:3978")]
    public void Start_NoAppIdAndPublicAddress_RefusesNamingBotAppId(string urls)
    {
        using var factory = Host(new() { ["Bot:AppId"] = "", ["urls"] = urls });

        var start = () => factory.Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Bot:AppId is required*");
    }

    [Fact]
    public void Start_NoAppIdAndHttpPortsEverywhere_Refuses()
    {
        using var factory = Host(new() { ["Bot:AppId"] = "", ["http_ports"] = "8080" });

        var start = () => factory.Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Bot:AppId*");
    }

    [Theory]
    [InlineData("http://127.0.0.1:3978")]
    [InlineData("http://localhost:3978")]
    [InlineData("http://[::1]:3978")]
    public void Start_NoAppIdAndLoopbackOnly_StartsInDevMode(string urls)
    {
        using var factory = Host(new() { ["Bot:AppId"] = "", ["urls"] = urls });

        var start = () => factory.Validate();

        start.Should().NotThrow();
    }

    [Theory]
    [InlineData("Bot:OpenIdMetadataUrl", "http://login.example.test/keys", "*Bot:OpenIdMetadataUrl must use https*")]
    [InlineData("Bot:OpenIdMetadataUrl", "not a url", "*Bot:OpenIdMetadataUrl must be an absolute URL*")]
    [InlineData("Bot:AppPassword", "", "*Bot:AppPassword or Bot:CertificatePath*")]
    [InlineData("Bot:CertificatePath", "/nowhere/bot.pfx", "*Bot:CertificatePath names a file that does not exist*")]
    [InlineData("Bot:InvokeBudget", "00:00:09", "*Bot:InvokeBudget*")]
    [InlineData("Storage:ConnectionString", "", "*Storage:ConnectionString*")]
    [InlineData("Calendar:Provider", "Graph", "*Graph:TenantId is required*")]
    [InlineData("Booking:DeadlineWarningDays", "0", "*Booking:DeadlineWarningDays must be 1 to 60*")]
    [InlineData("Booking:InvokeWait", "00:00:06", "*Booking:InvokeWait*")]
    [InlineData("Booking:ReminderLeadTimes:0", "-01:00:00", "*Booking:ReminderLeadTimes*")]
    [InlineData("Booking:MorningListAt", "13:00:00", "*Booking:MorningListAt*")]
    [InlineData("Booking:PublicBaseUrl", "not a url", "*Booking:PublicBaseUrl*")]
    [InlineData("Booking:JobInterval", "00:00:01", "*Booking:JobInterval*")]
    [InlineData("Reports:AttendanceGoalPercent", "120", "*Reports:AttendanceGoalPercent*")]
    [InlineData("Reports:Authority", "http://login.example.test/tenant", "*Reports:Authority must be an absolute https URL*")]
    [InlineData("Reports:Audience", "api://sendplans-dashboard", "*Reports:Authority is required*")]
    public void Start_BadSetting_FailsNamingTheKey(string key, string value, string message)
    {
        using var factory = Host(new()
        {
            ["Bot:AppId"] = BotFactory.AppId,
            ["Bot:AppPassword"] = "test-only-password",
            [key] = value,
        });

        var start = () => factory.Validate();

        start.Should().Throw<Exception>().Where(e => Matches(e, message));
    }

    [Fact]
    public void Start_CalendarProviderMisspelt_FailsNamingTheKey()
    {
        using var factory = Host(new() { ["Calendar:Provider"] = "Googel" });

        var start = () => factory.Validate();

        start.Should().Throw<Exception>().Where(e => Matches(e, "*Calendar:Provider*"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:3978", true)]
    [InlineData("https://[::1]:443", true)]
    [InlineData("http://localhost", true)]
    [InlineData("http://*:3978", false)]
    [InlineData("http://0.0.0.0:3978", false)]
    [InlineData("https://sendplans.school.example", false)]
    public void IsLoopback_Address_Classified(string address, bool loopback) =>
        ListeningAddresses.IsLoopback(address).Should().Be(loopback);

    private static bool Matches(Exception e, string pattern)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, x.Message))
            {
                return true;
            }
        }
        return false;
    }

    [Fact]
    public async Task Process_NoAppIdOnAllInterfaces_ExitsWithMessageNamingTheKey()
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "SendPlans.Bot.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{Azurite.FreePort()}",
                ["Bot__AppId"] = "",
                ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.ExitCode.Should().NotBe(0);
        (await output + await error).Should().Contain("Bot:AppId is required");
    }

    /// <summary>The host as Program builds it, with the settings given, validated as at start.</summary>
    private sealed class HostUnderTest(Dictionary<string, string?> settings) : IDisposable
    {
        private WebApplication? _app;

        public void Validate()
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddBotHosting();
            SendPlans.Bot.Booking.BookingExtensions.AddBooking(builder);
            SendPlans.Bot.Reports.ReportsExtensions.AddReports(builder);
            _app = builder.Build();
            _app.Services.GetRequiredService<IStartupValidator>().Validate();
        }

        public void Dispose() => (_app as IDisposable)?.Dispose();
    }

    private static HostUnderTest Host(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Storage:ConnectionString", "UseDevelopmentStorage=true");
        return new HostUnderTest(settings);
    }
}
