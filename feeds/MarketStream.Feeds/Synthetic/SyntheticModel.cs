using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Symbols;
using MarketStream.Model;

namespace MarketStream.Feeds.Synthetic;

/// <summary>
/// The random-walk market behind the synthetic feed. Each call to <see cref="Next"/> writes one
/// quote or trade into a ring slot. Only integer arithmetic and IEEE +, ×, ÷ and rounding are
/// used (no log, exp or trig), so a seed yields bit-identical ticks on every machine.
/// </summary>
internal sealed class SyntheticModel
{
    // sqrt(3): scales the sum of four uniforms (variance 1/3) to unit variance.
    private const double IrwinHallScale = 1.7320508075688772;

    private readonly SymbolState[] _symbols;
    private readonly double[] _cumulativeWeights;
    private readonly double _totalWeight;
    private readonly int[] _bucketStart;
    private readonly double _bucketScale;
    private readonly double _tradeRatio;
    private readonly double _burstProbability;
    private readonly long _meanGapNs;
    private Xoshiro256 _rng;
    private long _timeNs;
    private int _burstSymbol = -1;
    private int _burstLeft;
    private int _openingNext;

    public SyntheticModel(SymbolUniverse universe, SyntheticFeedOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(options);
        _rng = new Xoshiro256(seed);
        _tradeRatio = options.TradeRatio;
        _burstProbability = options.BurstProbability;
        var simulatedRate = options.SimulatedRate ?? (options.Rate > 0 ? options.Rate : 1_000_000);
        _meanGapNs = Math.Max(1, (long)(1e9 / simulatedRate));

        var selected = new List<UniverseEntry>();
        if (options.Symbols is { Count: > 0 } names)
        {
            foreach (var name in names)
            {
                var id = universe.IdOf(name);
                if (id < 0)
                {
                    throw new ArgumentException($"Synthetic feed symbol '{name}' is not in the universe.", nameof(options));
                }

                selected.Add(universe.Entries[id]);
            }
        }
        else
        {
            selected.AddRange(universe.Entries);
        }

        if (selected.Count == 0)
        {
            throw new ArgumentException("The synthetic feed has no symbols.", nameof(universe));
        }

        _symbols = new SymbolState[selected.Count];
        _cumulativeWeights = new double[selected.Count];
        double total = 0;
        for (var i = 0; i < selected.Count; i++)
        {
            var entry = selected[i];
            var start = entry.StartPrice;

            // Spreads of about half a basis point and per-update moves of ~0.2 bp, in ticks of the
            // price scale: one cent for a $190 stock, a few pipettes for EURUSD, dollars for BTC.
            var spread = Math.Max(1, (long)Math.Round(start * 0.00005));
            var quiet = _rng.NextDouble() < options.QuietFraction;
            var u = _rng.NextDouble();
            var weight = quiet ? 0.1 : 1 + (9 * u * u);
            total += weight;
            _cumulativeWeights[i] = total;
            _symbols[i] = new SymbolState
            {
                Id = entry.Symbol.Id,
                Mid = start,
                MinMid = Math.Max(10, spread * 20),
                BaseSpread = spread,
                Volatility = Math.Max(0.25, start * 0.00002),
                Lot = entry.LotSize,
                Quiet = quiet,
            };
        }

        _totalWeight = total;
        _openingNext = options.OpeningQuotes ? 0 : _symbols.Length;

        // A guide table over [0, total): bucket b starts the search at (or before) the first
        // symbol whose cumulative weight passes the bucket's lower edge, so a pick is one or two
        // predictable comparisons instead of a branchy binary search — with the same result.
        _bucketStart = new int[Buckets];
        _bucketScale = Buckets / total;
        var first = 0;
        for (var b = 0; b < Buckets; b++)
        {
            var edge = b / _bucketScale;
            while (first < _cumulativeWeights.Length - 1 && _cumulativeWeights[first] <= edge)
            {
                first++;
            }

            // One step back absorbs any rounding in edge; the forward scan corrects it.
            _bucketStart[b] = Math.Max(0, first - 1);
        }
    }

    private const int Buckets = 1024;

    /// <summary>Opening quotes still to come (<see cref="SyntheticFeedOptions.OpeningQuotes"/>): the next <see cref="Next"/> calls write them.</summary>
    public int OpeningQuotesLeft => _symbols.Length - _openingNext;

    /// <summary>How many symbols the model drives.</summary>
    public int SymbolCount => _symbols.Length;

    /// <summary>Universe ids of the quiet symbols (for tests and the docs' statistics).</summary>
    public bool IsQuiet(int index) => _symbols[index].Quiet;

    /// <summary>Universe id of the model's <paramref name="index"/>-th symbol.</summary>
    public int SymbolIdAt(int index) => _symbols[index].Id;

    /// <summary>Simulated exchange clock, Unix ns; set once before the first tick.</summary>
    public long TimeNs
    {
        get => _timeNs;
        set => _timeNs = value;
    }

    /// <summary>Writes the next tick into <paramref name="t"/> (every field a stage reads).</summary>
    public void Next(ref Tick t, long receiveTimeNs)
    {
        ref var s = ref _symbols[0];
        if (_openingNext < _symbols.Length)
        {
            // The opening quotes all carry the opening time; the walk's clock starts after them.
            s = ref _symbols[_openingNext++];
        }
        else
        {
            s = ref _symbols[PickSymbol()];

            // Inter-arrival uniform on [0, 2·mean]: the configured rate on average.
            _timeNs += (long)(_rng.NextDouble() * 2 * _meanGapNs);
        }

        t.SymbolId = s.Id;
        t.ExchangeTimeNs = _timeNs;
        t.ReceiveTimeNs = receiveTimeNs;
        t.Epoch = 0;
        t.Seq = 0;
        t.ServerTimeNs = 0;
        t.Conditions = 0;

        if (s.HasQuote && _rng.NextDouble() < _tradeRatio)
        {
            WriteTrade(ref t, ref s);
        }
        else
        {
            WriteQuote(ref t, ref s);
        }
    }

    private void WriteQuote(ref Tick t, ref SymbolState s)
    {
        var z = (_rng.NextDouble() + _rng.NextDouble() + _rng.NextDouble() + _rng.NextDouble() - 2.0) * IrwinHallScale;
        var mid = s.Mid + (long)Math.Round(z * s.Volatility);
        if (mid < s.MinMid)
        {
            mid = s.MinMid + (s.MinMid - mid); // reflect off the floor: prices stay positive
        }

        s.Mid = mid;
        var spread = s.BaseSpread;
        if (_rng.NextDouble() < 0.15)
        {
            spread += _rng.NextInt((int)Math.Min(int.MaxValue - 1, (2 * s.BaseSpread) + 1));
        }

        var bid = mid - (spread / 2);
        s.Bid = bid;
        s.Ask = bid + spread;
        s.HasQuote = true;

        t.Kind = TickKind.Quote;
        t.Side = TradeSide.Unknown;
        t.BidPrice = bid;
        t.AskPrice = bid + spread;
        t.BidSize = OrderSize(s.Lot);
        t.AskSize = OrderSize(s.Lot);
        t.Price = 0;
        t.Size = 0;
    }

    private void WriteTrade(ref Tick t, ref SymbolState s)
    {
        var buy = _rng.NextDouble() < 0.5;
        var price = buy ? s.Ask : s.Bid;
        var spread = s.Ask - s.Bid;
        if (spread >= 2 && _rng.NextDouble() < 0.1)
        {
            // A print inside the spread (hidden liquidity, midpoint crosses).
            price = s.Bid + 1 + _rng.NextInt((int)Math.Min(int.MaxValue, spread - 1));
        }

        t.Kind = TickKind.Trade;
        t.Side = buy ? TradeSide.Buy : TradeSide.Sell;
        t.Price = price;
        t.Size = s.Lot * (1 + _rng.NextInt(5));
        t.BidPrice = 0;
        t.BidSize = 0;
        t.AskPrice = 0;
        t.AskSize = 0;
    }

    private long OrderSize(long lot)
    {
        var lots = 1 + _rng.NextInt(10);
        if (_rng.NextDouble() < 0.05)
        {
            lots *= 10; // the occasional large order
        }

        return lot * lots;
    }

    private int PickSymbol()
    {
        if (_burstLeft > 0)
        {
            _burstLeft--;
            if (_rng.NextDouble() < 0.75)
            {
                return _burstSymbol;
            }
        }

        var target = _rng.NextDouble() * _totalWeight;
        var weights = _cumulativeWeights;

        // The first symbol whose cumulative weight exceeds target (what a binary search finds),
        // scanning forward from the bucket's start.
        var bucket = Math.Min(Buckets - 1, (int)(target * _bucketScale));
        var lo = _bucketStart[bucket];
        var last = weights.Length - 1;
        while (lo < last && weights[lo] <= target)
        {
            lo++;
        }

        if (_burstLeft == 0 && !_symbols[lo].Quiet && _rng.NextDouble() < _burstProbability)
        {
            _burstSymbol = lo;
            _burstLeft = 16 + _rng.NextInt(241);
        }

        return lo;
    }

    private struct SymbolState
    {
        public int Id;
        public long Mid;
        public long MinMid;
        public long BaseSpread;
        public double Volatility;
        public long Lot;
        public bool Quiet;
        public bool HasQuote;
        public long Bid;
        public long Ask;
    }
}
