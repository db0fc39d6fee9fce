using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Provisioning.Consumer.Tests.WeCom;

/// <summary>Plays WeCom over HTTP for the client tests: answers per path from queues of JSON samples, records requests.</summary>
internal sealed class StubWeComHandler : HttpMessageHandler
{
    readonly ConcurrentDictionary<string, ConcurrentQueue<Func<CancellationToken, Task<HttpResponseMessage>>>> _answers = new();

    public ConcurrentQueue<(string Path, string Query, string? ContentType, string Body)> Requests { get; } = new();

    public StubWeComHandler Answer(string path, string json) =>
        Answer(path, _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") }));

    public StubWeComHandler Answer(string path, Func<CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _answers.GetOrAdd(path, _ => new()).Enqueue(answer);
        return this;
    }

    public int Count(string path) => Requests.Count(r => r.Path == path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue((path, request.RequestUri.Query, request.Content?.Headers.ContentType?.ToString(), body));
        if (!_answers.TryGetValue(path, out var queue) || !queue.TryDequeue(out var answer))
            throw new InvalidOperationException($"No answer queued for {path}");
        return await answer(cancellationToken);
    }
}
