using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>One Server-Sent Event as a browser's EventSource would dispatch it.</summary>
public sealed record SseEvent(string Name, string? Id, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>
/// A minimal EventSource for tests: GET /sse, then events parsed line by line per the HTML
/// living standard (event/id/data fields, blank line dispatches, ':' comments ignored). It keeps
/// the last id like a browser, so a test can reconnect with it.
/// </summary>
public sealed class SseTestClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseTestClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public string? LastEventId { get; private set; }

    public static async Task<SseTestClient> ConnectAsync(HttpClient http, string pathAndQuery, string? lastEventId = null, string? bearer = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new SseRefusedException((int)response.StatusCode, body);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SseTestClient(response, new StreamReader(stream, Encoding.UTF8)) { LastEventId = lastEventId };
    }

    /// <summary>Next dispatched event, or throws on timeout / end of stream.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        string? name = null;
        string? id = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("SSE stream ended");
            if (line.Length == 0)
            {
                if (data.Length == 0)
                {
                    name = null;
                    continue;
                }

                if (id is not null)
                {
                    LastEventId = id;
                }

                return new SseEvent(name ?? "message", id, data.ToString().TrimEnd('\n'));
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": name = value; break;
                case "id": id = value; break;
                case "data": data.Append(value).Append('\n'); break;
                default: break;
            }
        }
    }

    /// <summary>Next event that is not a heartbeat.</summary>
    public async Task<SseEvent> NextDataAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var e = await NextAsync(timeout);
            if (e.Name != "heartbeat")
            {
                return e;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class SseRefusedException(int status, string body) : Exception($"SSE refused with {status}: {body}")
{
    public int Status { get; } = status;

    public string Body { get; } = body;
}
