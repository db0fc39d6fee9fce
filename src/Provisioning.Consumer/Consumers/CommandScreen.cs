using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Provisioning.Operations;
using Provisioning.WeCom;
using Provisioning.Rules;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// What is answered without WeCom or the store: an enterprise this service does not serve (<c>UnknownCorp</c>) and an
/// invalid command (<c>Invalid</c>: a broken rule, or a property the command does not have). The router screens every
/// command; the lane consumer screens again, for commands that reach a lane another way.
/// </summary>
internal sealed class CommandScreen(CorpDirectory corps, OutcomePublisher outcomes, TimeProvider timeProvider)
{
    /// <returns>The command's enterprise, or null when the command has been answered here.</returns>
    public async Task<string?> ScreenAsync<TCommand>(ConsumeContext<TCommand> context, IMemberOperation<TCommand> operation)
        where TCommand : class
    {
        var key = operation.KeyOf(context.Message);
        if (!corps.TryResolve(key.CorpId, out var corpId))
        {
            var unknown = new OutcomeFactory(operation.NewFailure, key, key.CorpId ?? "", 0, timeProvider.GetUtcNow()).Failed(
                Contracts.FailureReasons.UnknownCorp,
                errors: [new Contracts.FieldError { Field = "corpId", Message = $"corp id '{key.CorpId}' is not configured in this service (WeCom:CorpId or WeCom:Corps)" }]);
            await outcomes.PublishAsync(context, unknown, operation.Name).ConfigureAwait(false);
            return null;
        }
        // Every problem at once: the properties it does not have, then its broken rules.
        var errors = UnknownFieldsOf(context) is { Count: > 0 } extra ? [.. extra, .. operation.Validate(context.Message)] : operation.Validate(context.Message);
        if (SentInTheFuture(context) is { } future)
            errors = [.. errors, future];
        if (errors.Count > 0)
        {
            // Validation is pure: a duplicate gets the same answer without the store.
            var invalid = new OutcomeFactory(operation.NewFailure, key, corpId, 0, timeProvider.GetUtcNow()).Failed(Contracts.FailureReasons.Invalid, errors: errors);
            await outcomes.PublishAsync(context, invalid, operation.Name).ConfigureAwait(false);
            return null;
        }
        return corpId;
    }

    /// <summary>How far ahead of this consumer's clock a send time may be (publishers' clocks drift) before it is refused.</summary>
    internal static readonly TimeSpan ClockSkewAllowed = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A send time later than the command's arrival (beyond <see cref="ClockSkewAllowed"/>): a publisher's clock far ahead,
    /// or a corrupted envelope. Taken at its word it would make the command newer than every command of its member to
    /// come, and a command that finds no member would wait for it until that time (issue 19: one such message was never
    /// answered). Refused, naming where the time came from.
    /// </summary>
    Contracts.FieldError? SentInTheFuture(ConsumeContext context)
    {
        var now = timeProvider.GetUtcNow();
        if (Messaging.TransportHeader.SentAt(context) is not { } sentAt || sentAt <= now + ClockSkewAllowed)
            return null;
        var field = context.ReceiveContext.ContentType?.MediaType == "application/json" ? "timestamp" : "sentTime";
        return new Contracts.FieldError
        {
            Field = field,
            Message = $"sent at {sentAt:O}, {(sentAt - now).TotalMinutes:0} minutes after this consumer received it (more than {ClockSkewAllowed.TotalMinutes:0} allowed): the publisher's clock or the message is wrong",
        };
    }

    /// <summary>
    /// What the deserializer dropped: properties of the message's JSON (the envelope's <c>message</c>, or the plain-JSON
    /// body) that <typeparamref name="TCommand"/> does not have, compared as the bus's JSON options deserialize them.
    /// </summary>
    static IReadOnlyList<Contracts.FieldError> UnknownFieldsOf<TCommand>(ConsumeContext<TCommand> context)
        where TCommand : class =>
        // The serializer context hands the message's JSON over as a JsonElement (a copy of the parsed one, no text parsed
        // again); a context that is not System.Text.Json's has nothing to compare.
        context.SerializerContext.TryGetMessage(typeof(JsonElement), out var json) && json is JsonElement { ValueKind: JsonValueKind.Object } element
            ? UnknownFields.Find(element, typeof(TCommand), SystemTextJsonMessageSerializer.Options)
            : [];
}
