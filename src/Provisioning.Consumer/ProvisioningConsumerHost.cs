using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.Messaging;
using Provisioning.Consumer.Telemetry;
using Provisioning.Consumer.WeCom;

namespace Provisioning.Consumer;

/// <summary>The composition root, shared by <c>Program</c> and the integration tests.</summary>
internal static class ProvisioningConsumerHost
{
    public static IHostApplicationBuilder AddProvisioningConsumer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddWeCom();
        builder.Services.AddIdempotency();
        builder.Services.AddMessaging();
        builder.Services.AddTelemetry(builder.Configuration);
        return builder;
    }
}
