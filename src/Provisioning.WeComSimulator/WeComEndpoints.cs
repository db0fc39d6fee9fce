using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Provisioning.WeComSimulator;

/// <summary>The WeCom API calls we make, with WeCom's server-side rules (WeCom documents 91039, 90195, 90196).</summary>
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

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var raw = buffer.ToArray();
        if (HasUnicodeEscape(raw))
            return Error(40033);
        JsonObject body;
        try
        {
            body = JsonNode.Parse(raw) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Error(47001);
        }
        var userId = body["userid"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        state.CountCreateCall(userId);

        var settings = state.Faults;
        if (settings.Down)
        {
            http.Abort();
            return null;
        }
        if (state.NextScriptedError() is { } scripted)
            return scripted is >= 500 and < 600 ? Results.StatusCode(scripted) : Error(scripted);
        if (settings.ConcurrencyLimit > 0 && inFlight.Count > settings.ConcurrencyLimit)
            return Error(45033);
        if (faults.OverMinuteLimit(corpId!))
            return Error(45009);
        if (FaultInjector.Roll(settings.Http5xxRate))
            return Results.StatusCode(StatusCodes.Status502BadGateway);
        if (FaultInjector.Roll(settings.BusyRate))
            return Error(-1);
        await faults.DelayAsync(cancellationToken);

        if (Validate(body, userId) is { } invalid)
            return Error(invalid.ErrCode, invalid.Detail);

        var (errCode, placeholders) = state.Create(corpId!, userId!, body);
        if (errCode != 0)
            return Error(errCode);
        if (settings.SlowSuccessMs > 0)
        {
            // Created, but the answer comes after the client's timeout: the case that makes blind retries dangerous.
            // A client that gave up (or died) ends the wait.
            try
            {
                await Task.Delay(settings.SlowSuccessMs, cancellationToken);
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
