using System.Diagnostics;
using System.Globalization;
using Telephony.Intake;
using Telephony.Intake.Bench;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;
using Telephony.Intake.Dispatch;
using Telephony.Intake.Rules;
using Telephony.Intake.Similar;

// bench/intake: per-prediction latency and throughput of the trained classifier and of the whole intake
// proposal, with a keyword-lookup baseline in the same run. Arguments: ROOT SHARED [PREDICTIONS].
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 3 && args[0] == "cv" && args[3].StartsWith("dev-lead", StringComparison.Ordinal)) return DevCheckMode.Run(args[1], args[3].Length > 9 ? int.Parse(args[3][9..]) : 20);
if (args.Length > 3 && args[0] == "cv" && args[3].StartsWith("dev-calibration", StringComparison.Ordinal)) return CalibrationMode.RunDev(args[1], args[3].Length > 16 ? int.Parse(args[3][16..]) : HeldOutTemperatures.DefaultFolds);
if (args.Length > 3 && args[0] == "cv" && args[3].StartsWith("calibration", StringComparison.Ordinal)) return CalibrationMode.Run(args[1], int.Parse(args[2]), args[3].Length > 12 ? int.Parse(args[3][12..]) : HeldOutTemperatures.DefaultFolds);
if (args.Length > 3 && args[0] == "cv" && args[3] == "temperature") return TemperatureMode.Run(args[1], int.Parse(args[2]));
if (args.Length > 3 && args[0] == "cv" && args[3] == "pairs") return PairsMode.Run(args[1], int.Parse(args[2]));
if (args.Length > 3 && args[0] == "cv" && args[3] == "clean") return CleanMode.Run(args[1], int.Parse(args[2]));
if (args.Length > 3 && args[0] == "cv" && args[3] == "weak") return WeakMode.Run(args[1], int.Parse(args[2]));
if (args.Length > 3 && args[0] == "cv" && args[3] == "mix") return MixMode.Run(args[1], int.Parse(args[2]));
if (args.Length > 3 && args[0] == "cv" && args[3] == "errors") return ErrorsMode.Run(args[1], int.Parse(args[2]), 30);
if (args.Length > 0 && args[0] == "cv") return CvMode.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 5, args.Length > 3 ? args[3] : "text");
var root = args[0];
var shared = args[1];
var count = args.Length > 2 ? int.Parse(args[2]) : 20000;
var data = Path.Combine(shared, "data", "hotline-messages");
var train = MessageFile.Load(Path.Combine(data, "train.csv"));
var dev = MessageFile.Load(Path.Combine(data, "dev.csv"));
var classifier = CategoryClassifier.Load(new ModelFiles(Path.Combine(root, ModelFiles.DefaultPath)));
var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
Console.WriteLine($"load average at start: {string.Join(" ", load)}; {Environment.ProcessorCount} cores; model {classifier.Card?.Trainer} ({classifier.Card?.TrainerVersion})");

// Inputs: the dev messages as a phone transcript would be (body, no title, first 60 characters) and in full.
string[] Texts(EvaluationView v) => Evaluation.View(dev, v).Select(x => x.Text).ToArray();
var short60 = Texts(EvaluationView.Cut60);
var full = Texts(EvaluationView.Full);

var baseline = new KeywordBaseline(train);
var baseAcc = dev.Count(m => baseline.Predict(TextPreparation.Compose(m.Title, m.Text)) == m.Category) / (double)dev.Count;
var baseAcc60 = Evaluation.View(dev, EvaluationView.Cut60).Count(x => baseline.Predict(x.Text) == x.Category) / (double)dev.Count;
var model = Evaluation.Evaluate(classifier, dev);
var model60 = Evaluation.Evaluate(classifier, dev, EvaluationView.Cut60);
Console.WriteLine($"dev accuracy: model {model.Accuracy:0.0000} (60-char {model60.Accuracy:0.0000}); keyword baseline {baseAcc:0.0000} (60-char {baseAcc60:0.0000})");
Console.WriteLine("note: the model was trained on train + dev, so its dev figure here is not a held-out score (docs/intake.md has those)");

var orders = SimilarCaseIndex.Build(train.Take(1000).Select((m, i) => new CaseRecord($"WO{i}", m.Text, true)));
var analyzer = IntakeAnalyzer.Load(IntakeRuleFiles.Under(root), classifier, orders);

Console.WriteLine();
Console.WriteLine("what                                  input     n      mean µs   p50 µs   p99 µs  max µs   per s (1 thread)  CPU µs");
Measure("keyword baseline", short60, t => baseline.Predict(t));
Measure("keyword baseline", full, t => baseline.Predict(t));
Measure("classifier top-3", short60, t => classifier.PredictPrepared(t));
Measure("classifier top-3", full, t => classifier.PredictPrepared(t));
Measure("whole proposal (1,000 orders)", short60, t => analyzer.Analyze(t));
Measure("whole proposal (1,000 orders)", full, t => analyzer.Analyze(t));

// Where a full post's proposal goes: each part alone on the same inputs (prepared once, as Analyze does).
var files = IntakeRuleFiles.Under(root);
var negations = AlertRules.LoadNegations(files.Negation);
var urgencyRules = new UrgencyRules(new AlertRules(AlertRules.LoadRules(files.Urgency, emergency: false), negations));
var emergencyRules = new EmergencyRules(new AlertRules(AlertRules.LoadRules(files.Emergency, emergency: true), negations));
var typeRules = RequestTypeRules.Load(files.Type);
var catalogue = DispatchCatalogue.Load(files.Catalogue, classifier.Categories);
var preparedFull = full.Select(t => TextPreparation.Compose(null, t)).ToArray();
Console.WriteLine("parts of the whole proposal, full posts:");
Measure("  text preparation (NFKC)", full, t => TextPreparation.Compose(null, t));
Measure("  similar orders (1,000)", full, t => orders.Search(t, 5));
Measure("  urgency rules", preparedFull, t => urgencyRules.Assess(t));
Measure("  emergency rules", preparedFull, t => emergencyRules.Assess(t));
Measure("  type rules", preparedFull, t => typeRules.Assess(t));
Measure("  catalogue", preparedFull, t => catalogue.Propose(t, "城乡建设"));

// Throughput with one caller per core (the model keeps its buffers per thread, so callers run in parallel).
var threads = Environment.ProcessorCount;
var sw = Stopwatch.StartNew();
var per = count / threads;
Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w =>
{
    for (var i = 0; i < per; i++) classifier.PredictPrepared(short60[(w * 7919 + i) % short60.Length]);
});
Console.WriteLine($"classifier top-3, 60-char, {threads} threads: {per * threads / sw.Elapsed.TotalSeconds:0} predictions/s");
Console.WriteLine($"load average at end: {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3])}");
return 0;

void Measure(string what, string[] inputs, Action<string> predict)
{
    for (var i = 0; i < 2000; i++) predict(inputs[i % inputs.Length]); // warm-up: JIT, engine pool
    var samples = new double[count];
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var total = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        predict(inputs[i % inputs.Length]);
        samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
    }
    var seconds = total.Elapsed.TotalSeconds;
    // CPU time of the process over the loop (one busy thread; the GC's share included): what the call costs
    // whatever the other users of the machine do to the wall clock.
    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / count;
    Array.Sort(samples);
    var label = inputs == short60 ? "60-char" : "full";
    Console.WriteLine($"{what,-36}  {label,-8} {count,6}  {samples.Average(),8:0.0}  {samples[count / 2],7:0.0}  {samples[(int)(count * 0.99)],7:0.0}  {samples[^1],7:0}  {count / seconds,10:0}  {cpuUs,8:0.0}");
}
