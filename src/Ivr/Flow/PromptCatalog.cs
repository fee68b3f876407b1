namespace Telephony.Ivr.Flow;

/// <summary>The prompt names of prompts/prompts.tsv (name, Chinese, pinyin), for the validator's missing-prompt check.</summary>
public static class PromptCatalog
{
    public static IReadOnlySet<string> Load(string tsvPath)
    {
        var names = new HashSet<string>();
        foreach (var line in File.ReadLines(tsvPath))
        {
            var name = line.Split('\t')[0].Trim();
            if (name.Length == 0 || name == "name" || name[0] == '#') continue;
            names.Add(name);
        }
        // A recorded WAV without a catalogue line is a prompt too.
        var folder = Path.GetDirectoryName(tsvPath);
        if (folder is not null && Directory.Exists(folder))
            foreach (var wav in Directory.EnumerateFiles(folder, "*.wav")) names.Add(Path.GetFileNameWithoutExtension(wav));
        return names;
    }
}
