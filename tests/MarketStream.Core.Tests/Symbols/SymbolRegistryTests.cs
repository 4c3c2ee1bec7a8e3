using MarketStream.Core.Symbols;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;
using MarketStream.Testing;

namespace MarketStream.Core.Tests.Symbols;

public class SymbolRegistryTests
{
    [Fact]
    public void GetOrAdd_NewNames_AssignsDenseIdsFromZero()
    {
        var registry = new SymbolRegistry(16);
        var a = registry.GetOrAdd(new SymbolDefinition("AAPL", 2, 0, "USD", "XNAS"));
        var b = registry.GetOrAdd(new SymbolDefinition("EURUSD", 5, 0));

        Assert.Equal(0, a.Id);
        Assert.Equal(1, b.Id);
        Assert.Equal(2, registry.Count);
        Assert.Same(b, registry[1]);
        Assert.Equal("XNAS", registry[0].Venue);
    }

    [Fact]
    public void GetOrAdd_ExistingName_ReturnsTheSameSymbol()
    {
        var registry = new SymbolRegistry(16);
        var first = registry.GetOrAdd(new SymbolDefinition("AAPL", 2, 0));
        var again = registry.GetOrAdd(new SymbolDefinition("AAPL", 4, 4));

        Assert.Same(first, again);
        Assert.Equal(2, again.PriceScale);
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void GetOrAdd_ManyRuntimeAdds_EveryNameFoundAcrossRefreezes()
    {
        var registry = new SymbolRegistry(4096);
        registry.AddRange(Enumerable.Range(0, 100).Select(i => new SymbolDefinition($"BASE{i}", 2, 0)));
        for (var i = 0; i < 1000; i++)
        {
            registry.GetOrAdd(new SymbolDefinition($"NEW{i}", 2, 0));
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.True(registry.TryGetId($"BASE{i}", out var id));
            Assert.Equal(i, id);
        }

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(registry.TryGetId($"NEW{i}".AsSpan(), out var id));
            Assert.Equal(100 + i, id);
        }

        Assert.False(registry.TryGetId("NEW1000", out _));
    }

    [Fact]
    public void TryGetId_SpanOfChars_DoesNotAllocate()
    {
        var registry = new SymbolRegistry(64);
        registry.AddRange(Enumerable.Range(0, 50).Select(i => new SymbolDefinition($"SYM{i}", 2, 0)));
        registry.GetOrAdd(new SymbolDefinition("LATE", 2, 0));
        var buffer = "xxSYM42xxLATExx".ToCharArray();
        registry.TryGetId(buffer.AsSpan(2, 5), out _);

        var found = 0;
        var allocated = Allocations.BestOf(3, () =>
        {
            found = 0;
            for (var i = 0; i < 10_000; i++)
            {
                found += registry.TryGetId(buffer.AsSpan(2, 5), out var a) && a == 42 ? 1 : 0;
                found += registry.TryGetId(buffer.AsSpan(9, 4), out var b) && b == 50 ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(20_000, found);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EUR USD")]
    [InlineData("EUR*")]
    [InlineData("ÄPFEL")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")]
    public void GetOrAdd_InvalidName_ThrowsWithReason(string name)
    {
        var registry = new SymbolRegistry(16);
        var error = Assert.Throws<ArgumentException>(() => registry.GetOrAdd(new SymbolDefinition(name, 2, 0)));
        Assert.Contains("Invalid symbol name", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void GetOrAdd_ScaleAboveNine_Throws()
    {
        var registry = new SymbolRegistry(16);
        Assert.Throws<ArgumentException>(() => registry.GetOrAdd(new SymbolDefinition("X", 10, 0)));
    }

    [Fact]
    public void GetOrAdd_RegistryFull_ThrowsInvalidOperation()
    {
        var registry = new SymbolRegistry(2);
        registry.GetOrAdd(new SymbolDefinition("A", 0, 0));
        registry.GetOrAdd(new SymbolDefinition("B", 0, 0));
        Assert.Throws<InvalidOperationException>(() => registry.GetOrAdd(new SymbolDefinition("C", 0, 0)));
    }

    [Fact]
    public void GetOrAdd_NewSymbol_RaisesSymbolAdded()
    {
        var registry = new SymbolRegistry(16);
        var seen = new List<string>();
        registry.SymbolAdded += info => seen.Add(info.Name);
        registry.GetOrAdd(new SymbolDefinition("A", 0, 0));
        registry.GetOrAdd(new SymbolDefinition("A", 0, 0));
        registry.AddRange([new SymbolDefinition("B", 0, 0), new SymbolDefinition("C", 0, 0)]);

        Assert.Equal(["A", "B", "C"], seen);
    }

    [Theory]
    [InlineData("*", "EURUSD,EURJPY,GBPUSD,AAPL")]
    [InlineData("EUR*", "EURUSD,EURJPY")]
    [InlineData("GBPUSD", "GBPUSD")]
    [InlineData("GBP", "")]
    [InlineData("eur*", "")]
    [InlineData("*USD", "EURUSD,GBPUSD")]
    [InlineData("*U*", "EURUSD,EURJPY,GBPUSD")]
    [InlineData("E*J*Y", "EURJPY")]
    [InlineData("**", "EURUSD,EURJPY,GBPUSD,AAPL")]
    [InlineData("A*L", "AAPL")]
    [InlineData("*PL*X", "")]
    public void Match_Pattern_SelectsExactlyTheMatchingSymbols(string pattern, string expected)
    {
        var registry = new SymbolRegistry(16);
        registry.AddRange(new[] { "EURUSD", "EURJPY", "GBPUSD", "AAPL" }.Select(n => new SymbolDefinition(n, 2, 0)));
        var matches = new List<SymbolInfo>();

        registry.Match(SymbolPattern.Parse(pattern), matches);

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), matches.Select(m => m.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("EUR?")]
    [InlineData("EU R*")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345*")]
    public void TryParse_UnsupportedPattern_FailsWithError(string pattern)
    {
        Assert.False(SymbolPattern.TryParse(pattern, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => SymbolPattern.Parse(pattern));
    }

    [Theory]
    [InlineData("*", SymbolPatternKind.All, "")]
    [InlineData("EUR*", SymbolPatternKind.Prefix, "EUR")]
    [InlineData("*USD", SymbolPatternKind.Glob, "*USD")]
    [InlineData("E*R*", SymbolPatternKind.Glob, "E*R*")]
    [InlineData("BRK.B", SymbolPatternKind.Exact, "BRK.B")]
    [InlineData("ES=F", SymbolPatternKind.Exact, "ES=F")]
    public void TryParse_SupportedPattern_ParsesKindAndText(string pattern, SymbolPatternKind kind, string text)
    {
        Assert.True(SymbolPattern.TryParse(pattern, out var parsed, out _));
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(text, parsed.Text);
        Assert.Equal(pattern, parsed.ToString());
    }

    [Theory]
    [InlineData("**", SymbolPatternKind.All, "*")]
    [InlineData("EUR**", SymbolPatternKind.Prefix, "EUR*")]
    [InlineData("**USD", SymbolPatternKind.Glob, "*USD")]
    public void TryParse_RunsOfStars_CollapseToOne(string pattern, SymbolPatternKind kind, string normalized)
    {
        Assert.True(SymbolPattern.TryParse(pattern, out var parsed, out _));
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(normalized, parsed.ToString());
    }

    [Fact]
    public void Matches_GlobAgainstBruteForceRegex_AgreesOnRandomNames()
    {
        var random = new Random(7);
        const string Alphabet = "ABU*";
        for (var i = 0; i < 5_000; i++)
        {
            var pattern = new string(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            var name = new string(Enumerable.Range(0, random.Next(1, 8)).Select(_ => Alphabet[random.Next(3)]).ToArray());
            var regex = "^" + string.Concat(pattern.Select(c => c == '*' ? ".*" : System.Text.RegularExpressions.Regex.Escape(c.ToString()))) + "$";

            Assert.True(SymbolPattern.TryParse(pattern, out var parsed, out _));
            Assert.Equal(System.Text.RegularExpressions.Regex.IsMatch(name, regex), parsed.Matches(name));
        }
    }

    [Fact]
    public void TryGet_ConcurrentAddsAndLookups_EveryPublishedIdResolves()
    {
        var registry = new SymbolRegistry(20_000);
        var stop = false;
        var failures = 0;
        var reader = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var count = registry.Count;
                for (var id = Math.Max(0, count - 50); id < count; id++)
                {
                    if (!registry.TryGet(id, out var info) || !registry.TryGetId(info.Name, out var back) || back != id)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });
        reader.Start();
        for (var i = 0; i < 5000; i++)
        {
            registry.GetOrAdd(new SymbolDefinition($"C{i}", 0, 0));
        }

        Volatile.Write(ref stop, true);
        reader.Join();
        Assert.Equal(0, failures);
        Assert.Equal(5000, registry.Count);
    }
}
