using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using MarketStream.Model;

namespace MarketStream.Core.Symbols;

/// <summary>
/// Interns symbol names to dense ids (0, 1, 2, …, stable for the life of the process) and holds
/// their reference data. Reads never lock and never allocate; adds (start-up and the rare runtime
/// discovery of a new symbol) take a lock.
/// </summary>
/// <remarks>
/// Id → info is a fixed array of <see cref="Capacity"/> slots, written before publication, so readers
/// need no copy of it. Name → info is a
/// <see cref="FrozenDictionary{TKey,TValue}"/> (fastest lookups, probed with a
/// <see cref="ReadOnlySpan{T}"/> of chars through its alternate lookup) plus a small copy-on-write
/// dictionary of recent adds; once the recent part outgrows an eighth of the frozen part the two are
/// refrozen together, so one-at-a-time adds stay amortised O(1) per symbol instead of rebuilding the
/// frozen table on every add. The count of symbols lives in the same immutable index object, so one
/// volatile publication makes a new symbol visible by id and by name at the same instant.
/// </remarks>
public sealed class SymbolRegistry
{
    /// <summary>Default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 65_536;

    private const int MinRecentBeforeRefreeze = 32;

    private readonly SymbolInfo?[] _byId;
    private readonly Lock _addLock = new();
    private NameIndex _names = NameIndex.Empty;

    /// <summary>Creates a registry for at most <paramref name="capacity"/> symbols (defaults to 65,536; 1 to 16,777,216).</summary>
    public SymbolRegistry(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        _byId = new SymbolInfo?[capacity];
    }

    /// <summary>Raised (on the adding thread, after the symbol is visible) for each new symbol, so wildcard subscriptions can extend to it.</summary>
    public event Action<SymbolInfo>? SymbolAdded;

    /// <summary>Most symbols this registry can hold; engine tables are sized to it.</summary>
    public int Capacity => _byId.Length;

    /// <summary>Symbols registered so far; ids are 0..Count-1.</summary>
    public int Count => Volatile.Read(ref _names).Count;

    /// <summary>Registers a symbol, or returns the existing one of that name (its reference data unchanged).</summary>
    /// <exception cref="ArgumentException">The name or a scale is invalid.</exception>
    /// <exception cref="InvalidOperationException">The registry is full.</exception>
    public SymbolInfo GetOrAdd(in SymbolDefinition definition)
    {
        if (TryGet(definition.Name, out var existing))
        {
            return existing;
        }

        SymbolInfo added;
        lock (_addLock)
        {
            if (TryGet(definition.Name, out existing))
            {
                return existing;
            }

            added = AddLocked(definition, _names.Count);
            var names = _names.With(added, refreeze: false);
            if (names.RecentCount > Math.Max(MinRecentBeforeRefreeze, names.FrozenCount / 8))
            {
                names = names.With(null, refreeze: true);
            }

            Volatile.Write(ref _names, names);
        }

        SymbolAdded?.Invoke(added);
        return added;
    }

    /// <summary>Registers many symbols with one rebuild of the name index (start-up). Existing names are skipped.</summary>
    public void AddRange(IEnumerable<SymbolDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var added = new List<SymbolInfo>();
        lock (_addLock)
        {
            var pending = new Dictionary<string, SymbolInfo>(StringComparer.Ordinal);
            foreach (var definition in definitions)
            {
                if (TryGet(definition.Name, out _) || pending.ContainsKey(definition.Name))
                {
                    continue;
                }

                var info = AddLocked(definition, _names.Count + pending.Count);
                pending.Add(info.Name, info);
                added.Add(info);
            }

            Volatile.Write(ref _names, _names.WithAll(pending));
        }

        foreach (var info in added)
        {
            SymbolAdded?.Invoke(info);
        }
    }

    /// <summary>Looks a symbol up by name without allocating.</summary>
    public bool TryGet(ReadOnlySpan<char> name, [NotNullWhen(true)] out SymbolInfo? info) =>
        Volatile.Read(ref _names).TryGet(name, out info);

    /// <summary>Looks a symbol id up by name without allocating.</summary>
    public bool TryGetId(ReadOnlySpan<char> name, out int id)
    {
        if (TryGet(name, out var info))
        {
            id = info.Id;
            return true;
        }

        id = -1;
        return false;
    }

    /// <summary>Looks a symbol up by id.</summary>
    public bool TryGet(int id, [NotNullWhen(true)] out SymbolInfo? info)
    {
        if ((uint)id < (uint)Count)
        {
            info = Volatile.Read(ref _byId[id]);
            return info is not null;
        }

        info = null;
        return false;
    }

    /// <summary>The symbol with id <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such id.</exception>
    public SymbolInfo this[int id] => TryGet(id, out var info) ? info : throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown symbol id.");

    /// <summary>Appends every symbol the pattern selects to <paramref name="matches"/>, in id order.</summary>
    public void Match(in SymbolPattern pattern, List<SymbolInfo> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        if (pattern.Kind == SymbolPatternKind.Exact)
        {
            if (TryGet(pattern.Text, out var info))
            {
                matches.Add(info);
            }

            return;
        }

        var count = Count;
        for (var id = 0; id < count; id++)
        {
            var info = Volatile.Read(ref _byId[id]);
            if (info is not null && pattern.Matches(info.Name))
            {
                matches.Add(info);
            }
        }
    }

    private SymbolInfo AddLocked(in SymbolDefinition definition, int id)
    {
        if (!SymbolNames.IsValid(definition.Name, out var error))
        {
            throw new ArgumentException($"Invalid symbol name '{definition.Name}': {error}.", nameof(definition));
        }

        if (definition.PriceScale > SymbolInfo.MaxScale || definition.SizeScale > SymbolInfo.MaxScale)
        {
            throw new ArgumentException($"Symbol '{definition.Name}': price and size scales must be 0–{SymbolInfo.MaxScale}.", nameof(definition));
        }

        if (id == _byId.Length)
        {
            throw new InvalidOperationException($"The symbol registry is full ({_byId.Length} symbols); raise its capacity.");
        }

        var info = new SymbolInfo(id, definition.Name, definition.PriceScale, definition.SizeScale, definition.Currency ?? string.Empty, definition.Venue ?? string.Empty);
        // Published by the caller's volatile write of the new index: a reader that sees the new count sees this slot.
        _byId[id] = info;
        return info;
    }

    /// <summary>Immutable name index: a frozen part and a small recent part, published as one object.</summary>
    private sealed class NameIndex
    {
        public static readonly NameIndex Empty = new(FrozenDictionary<string, SymbolInfo>.Empty, new Dictionary<string, SymbolInfo>(StringComparer.Ordinal));

        private readonly FrozenDictionary<string, SymbolInfo> _frozen;
        private readonly Dictionary<string, SymbolInfo> _recent;
        private readonly FrozenDictionary<string, SymbolInfo>.AlternateLookup<ReadOnlySpan<char>> _frozenLookup;
        private readonly Dictionary<string, SymbolInfo>.AlternateLookup<ReadOnlySpan<char>> _recentLookup;

        private NameIndex(FrozenDictionary<string, SymbolInfo> frozen, Dictionary<string, SymbolInfo> recent)
        {
            _frozen = frozen;
            _recent = recent;
            _frozenLookup = frozen.GetAlternateLookup<ReadOnlySpan<char>>();
            _recentLookup = recent.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int Count => _frozen.Count + _recent.Count;

        public int FrozenCount => _frozen.Count;

        public int RecentCount => _recent.Count;

        public bool TryGet(ReadOnlySpan<char> name, [NotNullWhen(true)] out SymbolInfo? info) =>
            _frozenLookup.TryGetValue(name, out info) || (_recent.Count != 0 && _recentLookup.TryGetValue(name, out info));

        public NameIndex With(SymbolInfo? added, bool refreeze)
        {
            if (refreeze)
            {
                var all = new Dictionary<string, SymbolInfo>(_frozen, StringComparer.Ordinal);
                foreach (var pair in _recent)
                {
                    all.Add(pair.Key, pair.Value);
                }

                return new NameIndex(all.ToFrozenDictionary(StringComparer.Ordinal), new Dictionary<string, SymbolInfo>(StringComparer.Ordinal));
            }

            var recent = new Dictionary<string, SymbolInfo>(_recent, StringComparer.Ordinal);
            if (added is not null)
            {
                recent.Add(added.Name, added);
            }

            return new NameIndex(_frozen, recent);
        }

        public NameIndex WithAll(Dictionary<string, SymbolInfo> added)
        {
            var all = new Dictionary<string, SymbolInfo>(_frozen, StringComparer.Ordinal);
            foreach (var pair in _recent)
            {
                all.Add(pair.Key, pair.Value);
            }

            foreach (var pair in added)
            {
                all.Add(pair.Key, pair.Value);
            }

            return new NameIndex(all.ToFrozenDictionary(StringComparer.Ordinal), new Dictionary<string, SymbolInfo>(StringComparer.Ordinal));
        }
    }
}
