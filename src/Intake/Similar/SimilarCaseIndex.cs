using System.Runtime.InteropServices;

namespace Telephony.Intake.Similar;

/// <summary>
/// An existing work order as the index sees it. Intake defines its own record (not Tickets' work order) so
/// that it stays independent of the store: Host feeds the index from Tickets (order id, text, open?).
/// </summary>
public sealed record CaseRecord(string OrderId, string Text, bool IsOpen);

/// <summary>A similar order with its cosine similarity (0–1).</summary>
public sealed record SimilarCase(string OrderId, double Score, bool IsOpen);

/// <summary>
/// "办一件、解一类": finds existing orders like a new request. Each text is a vector of character bigrams
/// (letters, digits and CJK only, so punctuation and spacing do not matter) weighted by sublinear TF-IDF,
/// (1 + ln tf) · idf, and orders are ranked by cosine over an inverted index, so a query touches only the
/// orders sharing a bigram. IDF is taken from the orders in the index when each is added (it drifts little
/// as orders arrive). The scores are exact (no pruning); what makes a full web post cheap is the posting
/// layout (<see cref="PostingStore"/>: one contiguous run per bigram, each posting with its 1 + ln tf) and
/// per-thread buffers (<see cref="SimilarScratch"/>) instead of dictionaries per query.
/// Thread-safe: searches share a read lock; adding and closing take the write lock.
/// </summary>
public sealed class SimilarCaseIndex
{
    /// <summary>
    /// At or above this cosine, the most similar open order is proposed as a duplicate to merge. A reworded
    /// retelling of one case scored about 0.45 against 1,000 real messages, other complaints on the same
    /// topic (barbecue smoke and noise) up to 0.35 (SimilarCaseIndexTests).
    /// </summary>
    public const double DefaultDuplicateThreshold = 0.4;

    private readonly PostingStore _postings = new();
    private readonly List<(CaseRecord Record, double Norm)> _docs = new();
    // Per order, dense beside _docs, so that ranking the touched orders reads no record (a pointer chase per
    // order cost more than all the postings): its norm, and whether it may be proposed (live and open).
    private readonly List<double> _norms = new();
    private readonly List<bool> _live = new();
    private readonly List<bool> _open = new();
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    [ThreadStatic] private static SimilarScratch? t_scratch;

    public double DuplicateThreshold { get; init; } = DefaultDuplicateThreshold;
    public int Count { get { _lock.EnterReadLock(); try { return _byId.Count; } finally { _lock.ExitReadLock(); } } }

    /// <summary>Builds the index at once (document frequencies from all records first, so early records get the same IDF as late ones).</summary>
    public static SimilarCaseIndex Build(IEnumerable<CaseRecord> records, double duplicateThreshold = DefaultDuplicateThreshold)
    {
        var list = records.ToList();
        var index = new SimilarCaseIndex { DuplicateThreshold = duplicateThreshold };
        var s = new SimilarScratch();
        var df = new Dictionary<ulong, int>();
        foreach (var r in list)
        {
            var n = CaseBigrams.Count(r.Text, s);
            for (var i = 0; i < n; i++) CollectionsMarshal.GetValueRefOrAddDefault(df, s.Keys[i], out _)++;
        }
        foreach (var r in list) index.AddCore(r, df, s);
        index._postings.MaybeFreeze(force: true);
        return index;
    }

    /// <summary>Adds an order, or replaces the one with the same id.</summary>
    public void Add(CaseRecord record)
    {
        _lock.EnterWriteLock();
        try
        {
            AddCore(record, null, t_scratch ??= new SimilarScratch());
            _postings.MaybeFreeze();
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Marks an order closed (or reopened); closed orders are not proposed. False when the id is unknown.</summary>
    public bool SetOpen(string orderId, bool open)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_byId.TryGetValue(orderId, out var i)) return false;
            _docs[i] = (_docs[i].Record with { IsOpen = open }, _docs[i].Norm);
            _open[i] = open;
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>The most similar orders, best first (open ones only unless <paramref name="includeClosed"/>).</summary>
    public IReadOnlyList<SimilarCase> Search(string text, int top = 5, bool includeClosed = false, double minimumScore = 0.05)
    {
        var s = t_scratch ??= new SimilarScratch();
        var unique = CaseBigrams.Count(text, s);
        if (unique == 0 || top <= 0) return [];
        _lock.EnterReadLock();
        try
        {
            var n = _docs.Count;
            s.EnsureDocuments(n);
            var dots = s.Dots;
            var touchedDocs = s.Touched;
            var touched = 0;
            double qNorm = 0;
            for (var i = 0; i < unique; i++)
            {
                var (frozen, delta) = _postings.Postings(s.Keys[i]);
                var df = frozen.Length + (delta?.Count ?? 0);
                var idf = Idf(df, n);
                var qw = (1 + Math.Log(s.Counts[i])) * idf;
                qNorm += qw * qw;
                if (df == 0) continue;
                var factor = (float)(qw * idf); // query weight × the idf of the order side; its 1 + ln tf is in the posting
                touched = Accumulate(frozen.Span, factor, dots, touchedDocs, touched);
                if (delta is not null) touched = Accumulate(CollectionsMarshal.AsSpan(delta), factor, dots, touchedDocs, touched);
            }
            qNorm = Math.Sqrt(qNorm);
            // The best few by insertion into a short sorted buffer: no sort of every touched order.
            var best = s.Best(top);
            var found = 0;
            var norms = CollectionsMarshal.AsSpan(_norms);
            var live = CollectionsMarshal.AsSpan(_live);
            var open = CollectionsMarshal.AsSpan(_open);
            for (var t = 0; t < touched; t++)
            {
                var d = touchedDocs[t];
                var score = dots[d] / (qNorm * norms[d]);
                dots[d] = 0; // leave the accumulators clean for the next query
                if (!live[d] || !(includeClosed || open[d]) || score < minimumScore) continue;
                if (found == top && score <= best[top - 1].Score) continue;
                var at = found < top ? found++ : top - 1;
                while (at > 0 && best[at - 1].Score < score) { best[at] = best[at - 1]; at--; }
                best[at] = (d, score);
            }
            var result = new SimilarCase[found];
            for (var i = 0; i < found; i++)
            {
                var record = _docs[best[i].Doc].Record;
                result[i] = new SimilarCase(record.OrderId, Math.Min(1, best[i].Score), record.IsOpen);
            }
            return result;
        }
        finally { _lock.ExitReadLock(); }
    }

    private static int Accumulate(ReadOnlySpan<Posting> postings, float factor, float[] dots, int[] touchedDocs, int touched)
    {
        foreach (var p in postings)
        {
            // Branch-free: the order is written to the touched list every time, and kept (the count moves
            // on) only when its accumulator was still zero.
            var old = dots[p.Doc];
            touchedDocs[touched] = p.Doc;
            touched += old == 0 ? 1 : 0;
            dots[p.Doc] = old + factor * p.LogTf;
        }
        return touched;
    }

    /// <summary>The open order to propose merging into, when the best match reaches <see cref="DuplicateThreshold"/>.</summary>
    public SimilarCase? ProposedDuplicate(IReadOnlyList<SimilarCase> similar) =>
        similar.FirstOrDefault(s => s.IsOpen && s.Score >= DuplicateThreshold);

    /// <param name="buildDf">When building at once: every bigram's document frequency over all the records.</param>
    private void AddCore(CaseRecord record, Dictionary<ulong, int>? buildDf, SimilarScratch s)
    {
        if (_byId.TryGetValue(record.OrderId, out var old))
        {
            // Replacing: blank the old entry (its postings stay, its id is cleared so it never surfaces).
            _docs[old] = (_docs[old].Record with { OrderId = "", IsOpen = false }, _docs[old].Norm);
            _live[old] = false;
            _open[old] = false;
            _byId.Remove(record.OrderId);
        }
        var unique = CaseBigrams.Count(record.Text, s);
        var doc = _docs.Count;
        var n = Math.Max(Math.Max(1, _byId.Count + 1), _docs.Count + 1);
        double norm = 0;
        for (var i = 0; i < unique; i++)
        {
            var logTf = 1 + Math.Log(s.Counts[i]);
            _postings.Add(s.Keys[i], new Posting(doc, (float)logTf));
            var df = buildDf is null ? _postings.DocumentFrequency(s.Keys[i]) : buildDf[s.Keys[i]];
            var w = logTf * Idf(df, n);
            norm += w * w;
        }
        _docs.Add((record, norm == 0 ? 1 : Math.Sqrt(norm)));
        _norms.Add(_docs[^1].Norm);
        _live.Add(record.OrderId.Length > 0);
        _open.Add(record.IsOpen);
        _byId[record.OrderId] = doc;
    }

    private static double Idf(int df, int n) => Math.Log((1.0 + n) / (1.0 + df)) + 1;
}
