using MassTransit;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// Who owns a request's lease: this process and this one delivery. In-process retries of the delivery share it (they
/// share the receive context); a duplicate delivery, in this process or another, does not.
/// </summary>
internal sealed record DeliveryOwner(string Value)
{
    static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";

    public static string Of(ConsumeContext context) =>
        context.ReceiveContext.GetOrAddPayload(() => new DeliveryOwner($"{Instance}/{Guid.NewGuid():N}")).Value;
}
