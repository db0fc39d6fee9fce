using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Provisioning.Cli;

/// <summary>
/// <c>status</c>: what happened to a request (by request id) or to a person (by userid), from the consumer's provisioning
/// log through its HTTP API. Exit 0 when found and nothing shown failed, 1 when not found or failed, 4 when the API
/// cannot be used (unreachable, or it refused the key).
/// </summary>
internal static class StatusVerb
{
    public const string ApiVariable = "PROVISIONING_API";
    public const string KeyVariable = "PROVISIONING_API_KEY";
    const string LocalApi = "http://127.0.0.1:8091";

    sealed record Step(DateTimeOffset At, string Kind, string? Detail);

    sealed record Entry(Guid RequestId, string CorpId, string UserId, string Operation, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? EndedAt,
        int Deliveries, int Attempts, int ParkingTier, string? Reason, int? ErrCode, string? Message, string? Name);

    sealed record Detail(Entry Request, IReadOnlyList<Step> Steps);

    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static Command Create(CliConsole console, Option<bool> json)
    {
        var target = new Argument<string>("request-id-or-userid") { Description = "A request id (GUID), or a member's userid for their whole history" };
        var api = new Option<Uri>("--api")
        {
            Description = $"The consumer's HTTP address [default: ${ApiVariable}, else {LocalApi}]",
            HelpName = "URL",
            CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : Fail<Uri>(result, $"--api: '{result.Tokens[0].Value}' is not an http:// or https:// address"),
        };
        var corp = new Option<string>("--corp-id") { Description = "Only this enterprise's requests (for a userid)", HelpName = "CORPID" };
        var command = new Command("status", $"What happened to a request or a person, from the provisioning log (the consumer's API; key from ${KeyVariable})")
        {
            target, api, corp,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            console.Json = parse.GetValue(json);
            var address = parse.GetValue(api) ?? DefaultApi();
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            // The key only from the environment: on a command line it would be in the shell history and the process list.
            if (Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } key)
                client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var text = parse.GetValue(target)!.Trim();
            return Guid.TryParse(text, out var requestId)
                ? await RequestAsync(client, console, requestId, cancellationToken).ConfigureAwait(false)
                : await PersonAsync(client, console, text, parse.GetValue(corp), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    static Uri DefaultApi()
    {
        var configured = Environment.GetEnvironmentVariable(ApiVariable);
        if (string.IsNullOrWhiteSpace(configured))
            return new Uri(LocalApi);
        return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"${ApiVariable}: '{configured}' is not an http:// or https:// address");
    }

    static async Task<int> RequestAsync(HttpClient client, CliConsole console, Guid requestId, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(client, $"api/requests/{requestId}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            console.Fail($"no request {requestId} in the provisioning log (never received, or past its retention)");
            return ExitCodes.SomeFailed;
        }
        var detail = (await response.Content.ReadFromJsonAsync<Detail>(Json, cancellationToken).ConfigureAwait(false))!;
        var r = detail.Request;
        console.JsonLine(detail);
        console.Line($"{r.Operation} of {r.UserId}{(r.Name is null ? "" : $" ({r.Name})")} in {r.CorpId}: {r.Status.Replace('_', ' ')}" +
            (r.Reason is null ? "" : $" — {r.Reason}{(r.ErrCode is { } code ? $" (errcode {code})" : "")}"));
        if (r.Message is not null)
            console.Line($"  {r.Message}");
        console.Line($"  received {Time(r.ReceivedAt)}{(r.EndedAt is { } ended ? $", ended {Time(ended)}" : "")}; " +
            $"{r.Deliveries} deliveries, {r.Attempts} WeCom call(s), highest retry tier {r.ParkingTier}");
        foreach (var step in detail.Steps)
            console.Line($"  {Time(step.At)}  {step.Kind,-13} {step.Detail}");
        return Failed(r) ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }

    static async Task<int> PersonAsync(HttpClient client, CliConsole console, string userId, string? corpId, CancellationToken cancellationToken)
    {
        var path = $"api/members/{Uri.EscapeDataString(userId)}/history" + (corpId is null ? "" : $"?corpId={Uri.EscapeDataString(corpId)}");
        using var response = await GetAsync(client, path, cancellationToken).ConfigureAwait(false);
        var history = (await response.Content.ReadFromJsonAsync<List<Entry>>(Json, cancellationToken).ConfigureAwait(false))!;
        if (history.Count == 0)
        {
            console.Fail($"no request for {userId}{(corpId is null ? "" : " in " + corpId)} in the provisioning log");
            return ExitCodes.SomeFailed;
        }
        console.Line($"{history.Count} request(s) for {userId}, newest first:");
        foreach (var r in history)
        {
            console.JsonLine(r);
            console.Line($"  {Time(r.ReceivedAt)}  {r.Operation,-7} {r.Status.Replace('_', ' '),-13} {r.Reason}{(r.ErrCode is { } code ? $" ({code})" : "")}  " +
                $"{r.RequestId}  {r.Message}");
        }
        // The person's current state is their newest request's.
        return Failed(history[0]) ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }

    static bool Failed(Entry entry) => entry.Status is "failed" or "dead_lettered";

    static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"the consumer's API at {client.BaseAddress} cannot be reached ({ex.Message}); is the consumer running, and is --api right?", ExitCodes.Broker);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the consumer's API at {client.BaseAddress} did not answer within 30 s", ExitCodes.Broker);
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Dispose();
            throw new CliException($"the consumer's API refused the request ({(int)response.StatusCode}): set ${KeyVariable} to an API key with the reader role " +
                "(from another machine a key is always needed)", ExitCodes.Broker);
        }
        if (response.StatusCode != HttpStatusCode.NotFound && !response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new CliException($"the consumer's API answered {(int)response.StatusCode}: {body}", ExitCodes.Broker);
        }
        return response;
    }

    static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
