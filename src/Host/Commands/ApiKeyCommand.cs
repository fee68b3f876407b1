using System.CommandLine;
using Telephony.Host.Api;

namespace Telephony.Host.Commands;

/// <summary><c>api-key NAME</c>: makes a random staff API key and prints it with the configuration entry that admits it.</summary>
public static class ApiKeyCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "Who or what uses the key (logged with every request it opens), e.g. wallboard or admin-zhang" };

    public static Command Create()
    {
        var command = new Command("api-key", "Make a staff API key: prints the key (give it to the client) and its SHA-256 (put it in Api:Keys)");
        command.Arguments.Add(Name);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(Name)!;
            var (key, sha256) = StaffApiKeys.NewKey();
            Console.WriteLine($"key (send as 'Authorization: Bearer KEY'; shown once, not stored): {key}");
            Console.WriteLine("configuration (appsettings.json, Api:Keys), or environment variables TELEPHONY_Api__Keys__0__Name / __Sha256:");
            Console.WriteLine($"  {{ \"Name\": \"{name}\", \"Sha256\": \"{sha256}\" }}");
            return 0;
        });
        return command;
    }
}
