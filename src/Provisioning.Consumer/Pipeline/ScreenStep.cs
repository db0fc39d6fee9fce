using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Provisioning.Contracts;
using Provisioning.Operations;
using Provisioning.Rules;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// The first step: answers what needs no WeCom call and no store, an enterprise this service does not serve
/// (<c>UnknownCorp</c>) and an invalid command (<c>Invalid</c>: a broken rule of the catalogue, a property the command does
/// not have, a send time in the future). Runs once per command: on the input queue (the router's, or the lane's when
/// there is one enterprise); a command routed to its lane passed it already and only has its enterprise looked up.
/// </summary>
internal sealed class ScreenStep<TCommand>(CorpDirectory corps, OutcomePublisher outcomes, TimeProvider time) : IFilter<ConsumeContext<TCommand>>
    where TCommand : class, IProvisioningCommand
{
    /// <summary>How far ahead of this consumer's clock a send time may be (publishers' clocks drift) before it is refused.</summary>
    internal static readonly TimeSpan ClockSkewAllowed = TimeSpan.FromMinutes(5);

    public async Task Send(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next)
    {
        var descriptor = CommandCatalogue.Of<TCommand>();
        var delivery = context.GetPayload<Delivery>();
        // On the receive context: the transport's parking logs it too.
        var key = context.ReceiveContext.GetOrAddPayload(() => CommandKey.Of(context.Message));
        if (!corps.TryResolve(key.CorpId, out var corpId))
        {
            var unknown = new OutcomeFactory(descriptor.NewFailure, key, key.CorpId ?? "", 0, time.GetUtcNow()).Failed(
                FailureReasons.UnknownCorp,
                errors: [new FieldError { Field = "corpId", Message = $"corp id '{key.CorpId}' is not configured in this service (WeCom:CorpId or WeCom:Corps)" }]);
            await outcomes.PublishAsync(context, unknown, descriptor.Name).ConfigureAwait(false);
            return;
        }
        if (!delivery.Screened && Errors(context, descriptor, delivery) is { Count: > 0 } errors)
        {
            // Validation is pure: a duplicate gets the same answer without the store.
            var invalid = new OutcomeFactory(descriptor.NewFailure, key, corpId, 0, time.GetUtcNow()).Failed(FailureReasons.Invalid, errors: errors);
            await outcomes.PublishAsync(context, invalid, descriptor.Name).ConfigureAwait(false);
            return;
        }
        context.GetOrAddPayload(() => new CommandTicket(descriptor, key, corpId));
        await next.Send(context).ConfigureAwait(false);
    }

    /// <summary>Every problem at once: the properties it does not have, its broken rules, a send time in the future.</summary>
    IReadOnlyList<FieldError> Errors(ConsumeContext<TCommand> context, CommandDescriptor descriptor, Delivery delivery)
    {
        IReadOnlyList<FieldError> errors = [.. UnknownFieldsOf(context), .. descriptor.Rules(context.Message)];
        return SentInTheFuture(delivery) is { } future ? [.. errors, future] : errors;
    }

    /// <summary>
    /// A send time later than the command's arrival (beyond <see cref="ClockSkewAllowed"/>): a publisher's clock far ahead,
    /// or a corrupted envelope. Taken at its word it would make the command newer than every command of its member to
    /// come, and a command that finds no member would wait for it until that time (issue 19: one such message was never
    /// answered). Refused, naming where the time came from.
    /// </summary>
    FieldError? SentInTheFuture(Delivery delivery)
    {
        var now = time.GetUtcNow();
        if (delivery.SentAt is not { } sentAt || sentAt <= now + ClockSkewAllowed)
            return null;
        return new FieldError
        {
            Field = delivery.SentAtField,
            Message = $"sent at {sentAt:O}, {(sentAt - now).TotalMinutes:0} minutes after this consumer received it (more than {ClockSkewAllowed.TotalMinutes:0} allowed): the publisher's clock or the message is wrong",
        };
    }

    /// <summary>
    /// What the deserializer dropped: properties of the message's JSON (the envelope's <c>message</c>, or the plain-JSON
    /// body) that <typeparamref name="TCommand"/> does not have, compared as the bus's JSON options deserialize them.
    /// </summary>
    static IReadOnlyList<FieldError> UnknownFieldsOf(ConsumeContext<TCommand> context) =>
        // The serializer context hands the message's JSON over as a JsonElement (a copy of the parsed one, no text parsed
        // again); a context that is not System.Text.Json's has nothing to compare.
        context.SerializerContext.TryGetMessage(typeof(JsonElement), out var json) && json is JsonElement { ValueKind: JsonValueKind.Object } element
            ? UnknownFields.Find(element, typeof(TCommand), SystemTextJsonMessageSerializer.Options)
            : [];

    public void Probe(ProbeContext context) => context.CreateFilterScope("screen");
}
