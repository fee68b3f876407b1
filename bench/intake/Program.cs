using System.Diagnostics;
using System.Globalization;
using Telephony.Intake;
using Telephony.Intake.Bench;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;
using Telephony.Intake.Similar;

// bench/intake: per-prediction latency and throughput of the trained classifier and of the whole intake
// proposal, with a keyword-lookup baseline in the same run. Arguments: ROOT SHARED [PREDICTIONS].
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
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
Console.WriteLine("what                                  input     n      mean µs   p50 µs   p99 µs  max µs   per s (1 thread)");
Measure("keyword baseline", short60, t => baseline.Predict(t));
Measure("keyword baseline", full, t => baseline.Predict(t));
Measure("classifier top-3", short60, t => classifier.PredictPrepared(t));
Measure("classifier top-3", full, t => classifier.PredictPrepared(t));
Measure("whole proposal (1,000 orders)", short60, t => analyzer.Analyze(t));
Measure("whole proposal (1,000 orders)", full, t => analyzer.Analyze(t));

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

void Measure(string what, string[] inputs, Action<string> predict)
{
    for (var i = 0; i < 2000; i++) predict(inputs[i % inputs.Length]); // warm-up: JIT, engine pool
    var samples = new double[count];
    var total = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        predict(inputs[i % inputs.Length]);
        samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
    }
    var seconds = total.Elapsed.TotalSeconds;
    Array.Sort(samples);
    var label = inputs == short60 ? "60-char" : "full";
    Console.WriteLine($"{what,-36}  {label,-8} {count,6}  {samples.Average(),8:0.0}  {samples[count / 2],7:0.0}  {samples[(int)(count * 0.99)],7:0.0}  {samples[^1],7:0}  {count / seconds,10:0}");
}
