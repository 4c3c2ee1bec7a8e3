namespace MarketStream.Protocol;

/// <summary>
/// Subscribe's <c>replay</c> element <c>[startTimeNs, pacePercent]</c> (docs/protocol.md §4.2, §2.6): start
/// the stream at a time from the journal, then continue live after a ReplayComplete per symbol.
/// </summary>
/// <param name="StartTimeNs">Server time (Unix ns) of the first event to replay; &gt; 0.</param>
/// <param name="PacePercent">0 = as fast as the connection takes it; otherwise pace at this percent of real
/// time (100 = real time, 1,000 = ten times faster), 1–<see cref="ChannelLimits.MaxReplayPacePercent"/>.</param>
public readonly record struct ReplayStart(long StartTimeNs, int PacePercent = 0);
