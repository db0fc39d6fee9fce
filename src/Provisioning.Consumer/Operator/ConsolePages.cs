using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Provisioning.Rules;
using Provisioning.Storage.RequestLog;
using Provisioning.WeCom;
using static Provisioning.Consumer.Operator.Html;

namespace Provisioning.Consumer.Operator;

/// <summary>
/// The operator console: server-rendered pages over the same services as the API, no script. Every form that acts
/// carries an antiforgery token, checked before anything is done; the session cookie is SameSite=Strict.
/// </summary>
internal static class ConsolePages
{
    public static void MapOperatorConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/console")).ExcludeFromDescription();
        app.MapGet("/console/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error) =>
            Page("Sign in", context.User, $"""
                {(error is null ? "" : """<div class="error" role="alert">That key is not valid.</div>""")}
                <form method="post" action="/console/login">
                {Token(antiforgery, context)}
                <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
                <label>API key <input type="password" name="key" autocomplete="off" required autofocus></label>
                <button>Sign in</button>
                </form>
                <p>From this machine the console needs no key (unless <code>Operator:AllowLocalWithoutKey</code> is false).</p>
                """, Tokens(antiforgery, context))).AllowAnonymous();
        app.MapPost("/console/login", SignInAsync).AllowAnonymous();
        app.MapPost("/console/logout", async (HttpContext context, IAntiforgery antiforgery, RequestLogStore store, TimeProvider time) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
                return FormRefused();
            // Ended on the server first: a copy of the cookie (another browser, a proxy's log) must not outlive the sign-out.
            if (context.User.FindFirst(ApiKeyAuthenticationHandler.SessionClaim)?.Value is { } session)
                await store.EndSessionAsync(session, time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/console/login");
        }).AllowAnonymous();

        var console = app.MapGroup("/console").RequireAuthorization(OperatorPolicies.Read);
        console.MapGet("", RequestsAsync);
        console.MapGet("/requests/{requestId:guid}", RequestAsync);
        console.MapGet("/people/{userId}", PersonAsync);
        console.MapGet("/enterprises", EnterprisesAsync);
        console.MapGet("/queues", QueuesAsync);
        console.MapGet("/audit", AuditAsync);
        console.MapPost("/act/{action}", ActAsync).RequireAuthorization(OperatorPolicies.Operate);
    }

    /// <summary>A form without its antiforgery token: sent from another site, or from a page older than the session.</summary>
    static IResult FormRefused() => Results.Text(
        "Refused: this form did not come from a console page of this session (no valid antiforgery token). Reload the page and try again.",
        "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    static (string, string?) Tokens(IAntiforgery antiforgery, HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return (tokens.FormFieldName, tokens.RequestToken);
    }

    static string Token(IAntiforgery antiforgery, HttpContext context)
    {
        var (field, token) = Tokens(antiforgery, context);
        return Html.Token(field, token);
    }

    static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, IOptions<OperatorOptions> options, OperatorActions actions)
    {
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            return FormRefused();
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        var returnUrl = LocalUrl(form["returnUrl"]);
        if (ApiKeyAuthenticationHandler.Find(options.Value, form["key"].ToString()) is not { } key)
        {
            await actions.SignInAsync("?", "", succeeded: false, context).ConfigureAwait(false);
            return Results.Redirect("/console/login?error=1&returnUrl=" + Url(returnUrl));
        }
        var principal = ApiKeyAuthenticationHandler.SessionPrincipal(key, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal).ConfigureAwait(false);
        await actions.SignInAsync(key.Name, key.Role, succeeded: true, context).ConfigureAwait(false);
        return Results.Redirect(returnUrl);
    }

    /// <summary>
    /// Only a path of this site, by ASP.NET Core's rules for a local URL (<c>IUrlHelper.IsLocalUrl</c>): it starts with one
    /// <c>/</c> not followed by <c>/</c> or <c>\</c>, and holds no control character anywhere (browsers drop a tab or a line
    /// break, so <c>/&lt;TAB&gt;/evil.example</c> would become <c>//evil.example</c>; a CR or LF would break the header).
    /// Anything else goes to the console's home.
    /// </summary>
    static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || url[1] is not ('/' or '\\')) && !url.Any(char.IsControl) ? url : "/console";

    static async Task<IResult> RequestsAsync(HttpContext context, RequestLogStore log, CorpDirectory corps, IAntiforgery antiforgery, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var (filters, error) = RequestFilters.Parse(query);
        var body = new StringBuilder();
        var window = FailureWindow.Parse(query, time.GetUtcNow()) ?? FailureWindow.Parse(QueryCollection.Empty, time.GetUtcNow())!;
        body.Append(FailureChart.Render(await log.FailuresAsync(window.From, window.To, window.Bucket, filters?.CorpId, cancellationToken).ConfigureAwait(false), window));
        body.Append(FilterForm(query, corps));
        if (filters is null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<div class="error" role="alert">{E(error)}</div>""");
            return Page("Requests", context.User, body.ToString(), Tokens(antiforgery, context));
        }
        var page = await log.ListAsync(filters, cancellationToken).ConfigureAwait(false);
        body.Append(CultureInfo.InvariantCulture, $"<p>{page.Total} request(s){(page.Total > 0 ? $", {(page.Page - 1) * page.PageSize + 1}–{(page.Page - 1) * page.PageSize + page.Items.Count} shown" : "")}, newest first.</p>");
        body.Append(RequestTable(page.Items, withUser: true));
        body.Append(Pager(query, page));
        return Page("Requests", context.User, body.ToString(), Tokens(antiforgery, context));
    }

    static string FilterForm(IQueryCollection query, CorpDirectory corps)
    {
        string Value(string name) => E(query[name].ToString());
        string Options(string name, IEnumerable<string> values) =>
            string.Concat(values.Prepend("").Select(v => $"""<option value="{E(v)}"{(query[name].ToString() == v ? " selected" : "")}>{(v.Length == 0 ? "any" : E(v))}</option>"""));
        return $"""
            <form method="get" action="/console" class="filters">
            <label>Userid starts with <input name="userId" value="{Value("userId")}"></label>
            <label>Enterprise <select name="corpId">{Options("corpId", corps.All)}</select></label>
            <label>Status <select name="status">{Options("status", RequestStatuses.All)}</select></label>
            <label>Reason <select name="reason">{Options("reason", Reasons)}</select></label>
            <label>Errcode <input name="errCode" size="7" value="{Value("errCode")}"></label>
            <label>Operation <select name="operation">{Options("operation", [.. CommandCatalogue.All.Select(command => command.Name)])}</select></label>
            <label>Received from (UTC) <input name="from" placeholder="2026-11-30T08:00Z" value="{Value("from")}"></label>
            <label>to <input name="to" value="{Value("to")}"></label>
            <button>Filter</button> <a href="/console">clear</a>
            </form>
            """;
    }

    static readonly string[] Reasons =
    [
        Contracts.FailureReasons.Invalid, Contracts.FailureReasons.Rejected, Contracts.FailureReasons.Conflict, Contracts.FailureReasons.NotFound,
        Contracts.FailureReasons.Superseded, Contracts.FailureReasons.NotAllowed, Contracts.FailureReasons.UnknownCorp, Contracts.FailureReasons.RetriesExhausted,
    ];

    static string RequestTable(IReadOnlyList<RequestEntry> items, bool withUser)
    {
        var rows = new StringBuilder();
        foreach (var r in items)
        {
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><a href="/console/requests/{r.RequestId}">{E(Time(r.ReceivedAt))}</a></td><td>{E(r.Operation)}</td><td>{E(r.CorpId)}</td>
                {(withUser ? $"""<td><a href="/console/people/{Url(r.UserId)}?corpId={Url(r.CorpId)}">{E(r.UserId)}</a></td><td>{E(r.Name)}</td>""" : "")}
                <td>{Status(r.Status)}</td><td>{E(r.Reason)}</td><td>{E(r.ErrCode)}</td><td>{r.Attempts}</td><td class="msg">{E(r.Message)}</td></tr>
                """);
        }
        return $"""
            <table class="requests"><thead><tr><th>Received</th><th>Operation</th><th>Enterprise</th>{(withUser ? "<th>Userid</th><th>Name</th>" : "")}
            <th>Status</th><th>Reason</th><th>Errcode</th><th>Calls</th><th>Detail</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """;
    }

    static string Pager(IQueryCollection query, RequestPage page)
    {
        string Link(int number, string text)
        {
            var parameters = query.Where(p => p.Key != "page").Select(p => $"{Url(p.Key)}={Url(p.Value.ToString())}").Append($"page={number}");
            return $"""<a href="/console?{E(string.Join("&", parameters))}">{text}</a>""";
        }
        var last = (int)Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize);
        return $"""
            <div class="pager">{(page.Page > 1 ? Link(page.Page - 1, "← newer") : "")}<span>page {page.Page} of {last}</span>{(page.Page < last ? Link(page.Page + 1, "older →") : "")}</div>
            """;
    }

    static async Task<IResult> RequestAsync(Guid requestId, HttpContext context, RequestLogStore log, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await log.GetAsync(requestId, cancellationToken).ConfigureAwait(false) is not { } detail)
            return Page("Request not found", context.User, $"<p>No request {E(requestId)} in the log: never received, or past its retention.</p>", Tokens(antiforgery, context));
        var r = detail.Request;
        var steps = string.Concat(detail.Steps.Select(s => $"<tr><td>{E(Time(s.At))}</td><td>{E(s.Kind)}</td><td class=\"msg\">{E(s.Detail)}</td></tr>"));
        var action = r.Status switch
        {
            RequestStatuses.DeadLettered => ActionForm(antiforgery, context, OperatorActions.Replay, r.RequestId, "Replay from the error queue", $"/console/requests/{r.RequestId}"),
            RequestStatuses.Held => ActionForm(antiforgery, context, OperatorActions.Release, r.RequestId, "Release (apply it)", $"/console/requests/{r.RequestId}") +
                ActionForm(antiforgery, context, OperatorActions.Reject, r.RequestId, "Reject (do not apply)", $"/console/requests/{r.RequestId}"),
            _ => "",
        };
        var body = $"""
            <dl>
            <dt>Request</dt><dd>{E(r.RequestId)}</dd>
            <dt>Person</dt><dd><a href="/console/people/{Url(r.UserId)}?corpId={Url(r.CorpId)}">{E(r.UserId)}</a> {E(r.Name)} {E(r.Mobile)} {E(r.Email)}</dd>
            <dt>Enterprise</dt><dd>{E(r.CorpId)}</dd>
            <dt>Operation</dt><dd>{E(r.Operation)}</dd>
            <dt>Status</dt><dd>{Status(r.Status)}</dd>
            <dt>Reason</dt><dd class="reason">{E(r.Reason)}{(r.ErrCode is { } code ? $" (errcode {code})" : "")}</dd>
            <dt>Detail</dt><dd class="detail">{E(r.Message)}</dd>
            <dt>Outcome event</dt><dd>{E(r.Outcome)}</dd>
            <dt>Received</dt><dd>{E(Time(r.ReceivedAt))}</dd>
            <dt>Ended</dt><dd>{E(Time(r.EndedAt))}</dd>
            <dt>Deliveries · WeCom calls · highest retry tier</dt><dd>{r.Deliveries} · {r.Attempts} · {r.ParkingTier}</dd>
            <dt>Dead-lettered</dt><dd>{E(Time(r.DeadLetteredAt))}</dd>
            </dl>
            {action}
            <h2>Steps</h2>
            <table class="steps"><thead><tr><th>When</th><th>Step</th><th>Detail</th></tr></thead><tbody>{steps}</tbody></table>
            """;
        return Page($"Request {r.Operation} {r.UserId}", context.User, body, Tokens(antiforgery, context), Notice(context.Request.Query));
    }

    static string ActionForm(IAntiforgery antiforgery, HttpContext context, string action, Guid requestId, string label, string returnTo) => $"""
        <form method="post" action="/console/act/{action}" class="inline">{Token(antiforgery, context)}
        <input type="hidden" name="requestId" value="{requestId}"><input type="hidden" name="returnTo" value="{E(returnTo)}">
        <button name="do" value="{action}">{E(label)}</button></form>
        """;

    static async Task<IResult> PersonAsync(string userId, string? corpId, HttpContext context, RequestLogStore log, IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        var history = await log.HistoryAsync(corpId, userId, 500, cancellationToken).ConfigureAwait(false);
        var name = history.Select(h => h.Name).FirstOrDefault(n => !string.IsNullOrEmpty(n));
        var body = history.Count == 0
            ? $"<p>No request for {E(userId)} in the log.</p>"
            : $"<p>{history.Count} request(s), newest first{(corpId is null ? " (every enterprise)" : $" in {E(corpId)}")}.</p>" + RequestTable(history, withUser: false);
        return Page($"History of {userId}{(name is null ? "" : " " + name)}", context.User, body, Tokens(antiforgery, context));
    }

    static async Task<IResult> EnterprisesAsync(HttpContext context, EnterpriseStates states, OperatorQueues queues, IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<WaitingCommand> held;
        string? brokerError = null;
        try
        {
            held = await queues.HeldAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            held = [];
            brokerError = "RabbitMQ is not reachable: held counts unknown.";
        }
        var rows = string.Concat((await states.ListAsync(held, cancellationToken).ConfigureAwait(false)).Select(s => $"""
            <tr><td>{E(s.CorpId)}</td><td>{(s.Usable ? """<span class="status succeeded">usable</span>""" : """<span class="status failed">paused</span>""")}</td>
            <td class="msg">{E(s.PausedBecause)}{(s.PausedSince is { } since ? $" (since {Time(since)}, next probe {Time(s.NextProbeAt)})" : "")}</td>
            <td>{(s.DeletionGuardTrippedSince is { } tripped ? "tripped since " + Time(tripped) : "armed")}</td><td>{s.HeldRemovals}</td>
            <td>{s.InFlight} / {s.ConcurrencyLimit}</td><td>{s.CallsLastMinute} / {s.CallsPerMinuteLimit}</td><td>{s.EndedLastMinute}</td></tr>
            """));
        var body = $"""
            {(brokerError is null ? "" : $"""<div class="error">{E(brokerError)}</div>""")}
            <table><thead><tr><th>Enterprise</th><th>State</th><th>Why paused</th><th>Deletion guard</th><th>Held removals</th>
            <th>Calls in flight / limit</th><th>WeCom calls last minute / limit</th><th>Requests ended last minute</th></tr></thead><tbody>{rows}</tbody></table>
            <p>Pauses, the guard and calls in flight are this replica's view; the last-minute figures come from the provisioning log (every replica).</p>
            """;
        return Page("Enterprises", context.User, body, Tokens(antiforgery, context));
    }

    static async Task<IResult> QueuesAsync(HttpContext context, OperatorQueues queues, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var token = Token(antiforgery, context);
        string Table(IReadOnlyList<WaitingCommand> waiting, string[] actions, string empty)
        {
            if (waiting.Count == 0)
                return $"<p>{empty}</p>";
            var rows = string.Concat(waiting.Select(w => $"""
                <tr><td>{(w.RequestId is { } id ? $"""<input type="checkbox" name="requestId" value="{id}" aria-label="select {E(w.UserId)}">""" : "")}</td>
                <td>{(w.RequestId is { } rid ? $"""<a href="/console/requests/{rid}">{rid}</a>""" : "(no request id)")}</td><td>{E(w.UserId)}</td><td>{E(w.CorpId)}</td>
                <td>{E(w.Queue)}</td><td>{E(w.ErrCode)}</td><td>{E(Time(w.FaultedAt))}</td><td class="msg">{E(w.Reason)}</td></tr>
                """));
            var buttons = string.Concat(actions.Select(a => $"""<button formaction="/console/act/{a}">{E(ActionLabel(a))} selected</button> """));
            return $"""
                <form method="post">{token}<input type="hidden" name="returnTo" value="/console/queues">
                <table><thead><tr><th></th><th>Request</th><th>Userid</th><th>Enterprise</th><th>Queue</th><th>Errcode</th><th>Failed at</th><th>Why</th></tr></thead>
                <tbody>{rows}</tbody></table><p>{buttons}</p></form>
                """;
        }
        string body;
        try
        {
            body = "<h2>Dead letters</h2>" +
                Table(await queues.DeadLettersAsync(cancellationToken).ConfigureAwait(false), [OperatorActions.Replay], "No dead letters.") +
                "<h2>Held by the deletion guard</h2>" +
                Table(await queues.HeldAsync(cancellationToken).ConfigureAwait(false), [OperatorActions.Release, OperatorActions.Reject], "Nothing held.") +
                "<p>A replay puts the command back in its input queue: its request id is kept, so one that succeeded meanwhile is answered, not created twice.</p>";
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            body = $"""<div class="error">RabbitMQ is not reachable: {E(ex.GetBaseException().Message)}</div>""";
        }
        return Page("Dead letters & held", context.User, body, Tokens(antiforgery, context), Notice(context.Request.Query));
    }

    static string ActionLabel(string action) => action switch
    {
        OperatorActions.Replay => "Replay",
        OperatorActions.Release => "Release",
        _ => "Reject",
    };

    static async Task<IResult> ActAsync(string action, HttpContext context, IAntiforgery antiforgery, OperatorActions actions, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            return FormRefused();
        if (action is not (OperatorActions.Replay or OperatorActions.Release or OperatorActions.Reject))
            return Results.NotFound();
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var returnTo = LocalUrl(form["returnTo"]);
        var ids = form["requestId"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToHashSet();
        if (ids.Count == 0)
            return Results.Redirect($"{returnTo}?action={action}&moved=0&asked=0");
        var result = await actions.RunAsync(action, ids, context, cancellationToken).ConfigureAwait(false);
        return Results.Redirect($"{returnTo}?action={action}&moved={result.Moved.Count}&asked={ids.Count}");
    }

    /// <summary>The result of the action just done, from fixed parts only (a crafted link cannot put words on the page).</summary>
    static string? Notice(IQueryCollection query)
    {
        if (!int.TryParse(query["moved"], CultureInfo.InvariantCulture, out var moved) || !int.TryParse(query["asked"], CultureInfo.InvariantCulture, out var asked))
            return null;
        var verb = query["action"].ToString() switch
        {
            OperatorActions.Replay => "replayed",
            OperatorActions.Release => "released",
            OperatorActions.Reject => "rejected",
            _ => null,
        };
        if (verb is null)
            return null;
        return asked == 0 ? "Nothing was selected." : $"{moved} of {asked} {verb}{(moved < asked ? " (the others were no longer there)" : "")}.";
    }

    static async Task<IResult> AuditAsync(HttpContext context, RequestLogStore log, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var rows = string.Concat((await log.AuditTrailAsync(500, cancellationToken).ConfigureAwait(false)).Select(a =>
            $"<tr><td>{E(Time(a.At))}</td><td>{E(a.Actor)}</td><td>{E(a.Role)}</td><td>{E(a.Action)}</td><td class=\"msg\">{E(a.Target)}</td><td class=\"msg\">{E(a.Result)}</td><td>{E(a.Remote)}</td></tr>"));
        return Page("Audit log", context.User,
            $"<table><thead><tr><th>When</th><th>Who</th><th>Role</th><th>Action</th><th>Requests</th><th>Result</th><th>From</th></tr></thead><tbody>{rows}</tbody></table>",
            Tokens(antiforgery, context));
    }
}
