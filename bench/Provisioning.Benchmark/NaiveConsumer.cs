using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using MassTransit;
using Provisioning.Contracts;

namespace Provisioning.Benchmark;

/// <summary>
/// The naive consumer the issue compares us with: consume, one <c>user/create</c> call, publish a reply. No store, no
/// limiter, no retries, MassTransit's default prefetch; one access token fetched at start.
/// </summary>
internal sealed class NaiveConsumer(HttpClient http, string token) : IConsumer<CreateMember>
{
    // WeCom refuses \uXXXX escapes (40033): even a naive client must send Chinese names as UTF-8.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static int _reported;

    public async Task Consume(ConsumeContext<CreateMember> context)
    {
        var command = context.Message;
        using var response = await http.PostAsJsonAsync($"cgi-bin/user/create?access_token={Uri.EscapeDataString(token)}", new
        {
            userid = command.UserId,
            name = command.Name,
            mobile = command.Mobile,
            department = (command.Departments ?? []).Select(d => d.Id).ToArray(),
        }, Json, context.CancellationToken).ConfigureAwait(false);
        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false),
            cancellationToken: context.CancellationToken).ConfigureAwait(false);
        var errCode = answer.RootElement.GetProperty("errcode").GetInt32();
        if (errCode != 0 && Interlocked.Increment(ref _reported) <= 3)
            Console.Error.WriteLine($"naive consumer: user/create answered {answer.RootElement}");
        if (errCode == 0)
            await context.Publish(new MemberCreated { RequestId = command.RequestId, CorpId = command.CorpId ?? "", UserId = command.UserId, Attempts = 1, OccurredAt = DateTimeOffset.UtcNow }).ConfigureAwait(false);
        else
            await context.Publish(new MemberCreationFailed { RequestId = command.RequestId, CorpId = command.CorpId ?? "", UserId = command.UserId, Reason = "Rejected", ErrCode = errCode, Attempts = 1, OccurredAt = DateTimeOffset.UtcNow }).ConfigureAwait(false);
    }

    /// <summary>Runs as its own process (<c>naive-consumer AMQP_URI WECOM_URL CORP_ID SECRET</c>).</summary>
    public static async Task<int> RunAsync(Uri broker, Uri weCom, string corpId, string secret)
    {
        using var http = new HttpClient { BaseAddress = weCom };
        using var tokenAnswer = JsonDocument.Parse(await http.GetStringAsync($"cgi-bin/gettoken?corpid={corpId}&corpsecret={secret}").ConfigureAwait(false));
        var token = tokenAnswer.RootElement.GetProperty("access_token").GetString()!;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint("create-member", e => e.Consumer(() => new NaiveConsumer(http, token)));
        });
        return await ProcessHost.RunUntilExitAsync(bus).ConfigureAwait(false);
    }
}
