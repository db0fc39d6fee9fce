using MassTransit;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// The steps every command goes through before its operation, listed once, in order. Each is a consume filter created
/// per delivery from the container, with one concern, as MassTransit's own middleware; what a step learns for the
/// later ones it leaves as a payload of the delivery (<see cref="Delivery"/>, <see cref="CommandTicket"/>, the pace slot,
/// <see cref="Turn{TCommand}"/>). The transport puts its own filters around them (parking, the delivery's facts and moves).
/// </summary>
internal static class CommandSteps
{
    /// <summary>On a lane: screen, pace, turn, deletion guard; then the consumer applies the operation.</summary>
    public static void UseCommandSteps(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseScreenStep(context);
        endpoint.UseConsumeFilter(typeof(PaceStep<>), context);
        endpoint.UseConsumeFilter(typeof(TurnStep<>), context);
        endpoint.UseConsumeFilter(typeof(GuardStep<>), context);
    }

    /// <summary>On a router's input queue: only the screen; the router then puts the command in its lane.</summary>
    public static void UseScreenStep(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseConsumeFilter(typeof(ScreenStep<>), context);
}
