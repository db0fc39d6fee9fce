namespace Provisioning.WeComSimulator;

/// <summary>
/// <c>/admin</c>: what tests, demos and benchmarks need to steer and inspect the simulator. Not part of WeCom.
/// </summary>
internal static class AdminEndpoints
{
    public sealed record ScriptedErrors(IReadOnlyList<int> ErrCodes);

    public sealed record Secret(string Value);

    public sealed record MemberFlags(bool? Activated, bool? Creator, bool? SystemGenerated);

    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");

        // Every member created, how many user/create calls each userid received, and the error answers given by code.
        admin.MapGet("/ledger", (SimulatorState state) => Results.Json(new
        {
            members = state.Members().Select(m => new { corpId = m.CorpId, userId = m.UserId, createdAt = m.CreatedAt, status = m.Status, body = m.Body }),
            createCalls = state.CreateCalls(),
            errorAnswers = state.ErrorAnswers(),
            getTokenCalls = state.GetTokenCalls,
            userCalls = state.UserCalls,
        }));

        admin.MapGet("/faults", (SimulatorState state) => Results.Json(state.Faults));
        admin.MapPut("/faults", (FaultSettings faults, SimulatorState state) =>
        {
            state.Faults = faults;
            return Results.Json(state.Faults);
        });

        // The next user/create calls answer these codes in turn (500-599 are HTTP statuses, the rest errcodes).
        admin.MapPost("/errors", (ScriptedErrors errors, SimulatorState state) =>
        {
            state.ScriptErrors(errors.ErrCodes);
            return Results.NoContent();
        });

        admin.MapPost("/tokens/revoke", (SimulatorState state) =>
        {
            state.RevokeTokens();
            return Results.NoContent();
        });
        admin.MapPost("/tokens/expire", (SimulatorState state) =>
        {
            state.ExpireTokens();
            return Results.NoContent();
        });

        admin.MapPut("/corps/{corpId}/secret", (string corpId, Secret secret, SimulatorState state) =>
        {
            state.SetSecret(corpId, secret.Value);
            return Results.NoContent();
        });

        // What only the person or WeCom can set: activated (mobile changes are then ignored), the creator (cannot be
        // deleted), a system-generated userid (may be renamed once).
        admin.MapPatch("/corps/{corpId}/members/{userId}", (string corpId, string userId, MemberFlags flags, SimulatorState state) =>
            state.Mark(corpId, userId, flags.Activated, flags.Creator, flags.SystemGenerated) ? Results.NoContent() : Results.NotFound());

        admin.MapPost("/reset", (SimulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
    }
}
