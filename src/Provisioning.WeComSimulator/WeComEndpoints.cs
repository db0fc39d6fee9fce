using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Provisioning.WeComSimulator;

/// <summary>
/// The WeCom API calls we make, with WeCom's server-side rules (WeCom documents 91039, 90195, 90196, 90197, 90198,
/// 90199). Every write call (create, update, delete, batch delete) meets the same faults (<see cref="FaultSettings"/>).
/// </summary>
internal static partial class WeComEndpoints
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-@.]{0,63}$")]
    private static partial Regex UserIdPattern();

    static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void MapWeCom(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cgi-bin/gettoken", GetToken);
        app.MapPost("/cgi-bin/user/create", CreateUser);
        app.MapGet("/cgi-bin/user/get", GetUser);
        app.MapPost("/cgi-bin/user/update", (HttpContext http, SimulatorState state, FaultInjector faults) =>
            WriteAsync(http, state, faults, readsBody: true, "updated", (corpId, body) => state.Update(corpId, body!)));
        app.MapGet("/cgi-bin/user/delete", (HttpContext http, SimulatorState state, FaultInjector faults) =>
            WriteAsync(http, state, faults, readsBody: false, "deleted", (corpId, _) => (state.Delete(corpId, http.Request.Query["userid"]), null)));
        app.MapPost("/cgi-bin/user/batchdelete", (HttpContext http, SimulatorState state, FaultInjector faults) =>
            WriteAsync(http, state, faults, readsBody: true, "deleted", (corpId, body) => body!["useridlist"] is JsonArray list
                ? (state.BatchDelete(corpId, [.. list.Select(u => (string?)u ?? "")]), null)
                : (40031, "useridlist")));
        app.MapPost("/cgi-bin/user/list_id", ListIds);
    }

    static async Task<IResult> GetToken(string? corpid, string? corpsecret, SimulatorState state, FaultInjector faults, CancellationToken cancellationToken)
    {
        await faults.DelayAsync(cancellationToken);
        var (errCode, token) = state.IssueToken(corpid, corpsecret);
        return errCode != 0
            ? WeComErrors.Answer(errCode)
            : Results.Json(new { errcode = 0, errmsg = "ok", access_token = token, expires_in = state.TokenLifetimeSeconds });
    }

    static async Task CreateUser(HttpContext http, SimulatorState state, FaultInjector faults)
    {
        var result = await CreateUserCore(http, state, faults);
        if (result is IStatusCodeHttpResult { StatusCode: >= 500 and var status })
            state.CountErrorAnswer(status);
        if (result is not null)
            await result.ExecuteAsync(http);
    }

    static async Task<IResult?> CreateUserCore(HttpContext http, SimulatorState state, FaultInjector faults)
    {
        var cancellationToken = http.RequestAborted;
        IResult Error(int errCode, string? detail = null)
        {
            state.CountErrorAnswer(errCode);
            return WeComErrors.Answer(errCode, detail);
        }

        using var inFlight = faults.Enter();
        var (tokenError, corpId) = state.CheckToken(http.Request.Query["access_token"]);
        if (tokenError != 0)
            return Error(tokenError);

        var (body, bodyError) = await ReadBodyAsync(http);
        if (body is null)
            return Error(bodyError);
        var userId = body["userid"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        state.CountCreateCall(userId);

        var (aborted, fault) = await InjectFaultsAsync(http, state, faults, inFlight, corpId!, errCode => Error(errCode));
        if (aborted)
            return null;
        if (fault is not null)
            return fault;

        if (Validate(body, userId) is { } invalid)
            return Error(invalid.ErrCode, invalid.Detail);

        var (errCode, placeholders) = state.Create(corpId!, userId!, body);
        if (errCode != 0)
            return Error(errCode);
        if (state.Faults.SlowSuccessMs > 0)
        {
            // Created, but the answer comes after the client's timeout: the case that makes blind retries dangerous.
            // A client that gave up (or died) ends the wait.
            try
            {
                await Task.Delay(state.Faults.SlowSuccessMs, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        var answer = new JsonObject { ["errcode"] = 0, ["errmsg"] = "created" };
        if (placeholders.Count > 0)
            answer["created_department_list"] = new JsonObject
            {
                ["department_info"] = new JsonArray([.. placeholders.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["id"] = p.Id })]),
            };
        return Results.Text(answer.ToJsonString(Plain), "application/json; charset=utf-8");
    }

    /// <summary>A request body as WeCom reads it: 40033 for <c>\uXXXX</c> escapes, 47001 for anything not a JSON object.</summary>
    static async Task<(JsonObject? Body, int ErrCode)> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var raw = buffer.ToArray();
        if (HasUnicodeEscape(raw))
            return (null, 40033);
        try
        {
            return (JsonNode.Parse(raw) as JsonObject ?? throw new JsonException("not an object"), 0);
        }
        catch (JsonException)
        {
            return (null, 47001);
        }
    }

    /// <summary>
    /// The faults a write call meets once its token and body are read, in this order: down (the connection aborted),
    /// a scripted answer, 45033, 45009, HTTP 502, -1, then the latency. Aborted: no answer at all.
    /// </summary>
    static async Task<(bool Aborted, IResult? Fault)> InjectFaultsAsync(HttpContext http, SimulatorState state, FaultInjector faults,
        FaultInjector.InFlight inFlight, string corpId, Func<int, IResult> error)
    {
        var settings = state.Faults;
        if (settings.Down)
        {
            http.Abort();
            return (true, null);
        }
        if (state.NextScriptedError() is { } scripted)
            return (false, scripted is >= 500 and < 600 ? Results.StatusCode(scripted) : error(scripted));
        if (settings.ConcurrencyLimit > 0 && inFlight.Count > settings.ConcurrencyLimit)
            return (false, error(45033));
        if (faults.OverMinuteLimit(corpId))
            return (false, error(45009));
        if (FaultInjector.Roll(settings.Http5xxRate))
            return (false, Results.StatusCode(StatusCodes.Status502BadGateway));
        if (FaultInjector.Roll(settings.BusyRate))
            return (false, error(-1));
        await faults.DelayAsync(http.RequestAborted);
        return (false, null);
    }

    /// <summary>user/update, user/delete and user/batchdelete: token, body, faults, then the state's rule.</summary>
    static async Task WriteAsync(HttpContext http, SimulatorState state, FaultInjector faults, bool readsBody, string done,
        Func<string, JsonObject?, (int ErrCode, string? Detail)> apply)
    {
        IResult Error(int errCode, string? detail = null)
        {
            state.CountErrorAnswer(errCode);
            return WeComErrors.Answer(errCode, detail);
        }

        using var inFlight = faults.Enter();
        IResult? result;
        var (tokenError, corpId) = state.CheckToken(http.Request.Query["access_token"]);
        if (tokenError != 0)
        {
            result = Error(tokenError);
        }
        else
        {
            var (body, bodyError) = readsBody ? await ReadBodyAsync(http) : (null, 0);
            if (bodyError != 0)
            {
                result = Error(bodyError);
            }
            else
            {
                var (aborted, fault) = await InjectFaultsAsync(http, state, faults, inFlight, corpId!, errCode => Error(errCode));
                if (aborted)
                    return;
                var (errCode, detail) = fault is null ? apply(corpId!, body) : (0, null);
                result = fault ?? (errCode != 0 ? Error(errCode, detail)
                    : Results.Text(new JsonObject { ["errcode"] = 0, ["errmsg"] = done }.ToJsonString(Plain), "application/json; charset=utf-8"));
            }
        }
        if (result is IStatusCodeHttpResult { StatusCode: >= 500 and var status })
            state.CountErrorAnswer(status);
        await result.ExecuteAsync(http);
    }

    static (int ErrCode, string Detail)? Validate(JsonObject body, string? userId)
    {
        if (userId is null || !UserIdPattern().IsMatch(userId))
            return (40003, "userid");
        if (body["name"] is not JsonValue name || string.IsNullOrWhiteSpace(name.GetValue<string>()))
            return (60112, "name");
        var hasMobile = !string.IsNullOrEmpty((string?)body["mobile"]);
        var hasEmail = !string.IsNullOrEmpty((string?)body["email"]);
        if (!hasMobile && !hasEmail)
            return (60129, "mobile or email");
        var departments = (body["department"] as JsonArray)?.Count ?? 0;
        if (body["is_leader_in_dept"] is JsonArray leaders && leaders.Count != departments)
            return (60132, "is_leader_in_dept");
        if (body["order"] is JsonArray order && order.Count != departments)
            return (60132, "order");
        if (body["department"] is JsonArray ids && ids.Any(n => n is not JsonValue v || !v.TryGetValue<long>(out _)))
            return (40058, "department must be an array of numbers");
        return null;
    }

    /// <summary>WeCom rejects <c>\uXXXX</c> escapes (40033). A backslash escaped by a backslash does not count.</summary>
    static bool HasUnicodeEscape(byte[] json)
    {
        for (var i = 0; i < json.Length - 1; i++)
        {
            if (json[i] != (byte)'\\')
                continue;
            if (json[i + 1] == (byte)'u')
                return true;
            i++;
        }
        return false;
    }

    static async Task<IResult> GetUser(string? access_token, string? userid, SimulatorState state, FaultInjector faults, CancellationToken cancellationToken)
    {
        var (tokenError, corpId) = state.CheckToken(access_token);
        if (tokenError != 0)
            return WeComErrors.Answer(tokenError);
        await faults.DelayAsync(cancellationToken);
        if (userid is null || state.Find(corpId!, userid) is not { } member)
            return WeComErrors.Answer(60111);
        var answer = member.Body.DeepClone().AsObject();
        answer["errcode"] = 0;
        answer["errmsg"] = "ok";
        answer.Remove("to_invite");
        answer["status"] = member.Status;
        answer["enable"] = member.Disabled ? 0 : 1;
        return Results.Text(answer.ToJsonString(Plain), "application/json; charset=utf-8");
    }

    static IResult ListIds(string? access_token, SimulatorState state)
    {
        var (tokenError, corpId) = state.CheckToken(access_token);
        if (tokenError != 0)
            return WeComErrors.Answer(tokenError);
        var users = state.Members(corpId).SelectMany(m =>
            (m.Body["department"] as JsonArray ?? [JsonValue.Create(1L)]).Select(d => new { userid = m.UserId, department = d!.GetValue<long>() }));
        return Results.Json(new { errcode = 0, errmsg = "ok", next_cursor = "", dept_user = users });
    }
}
