using MassTransit;
using MassTransit.Middleware;
using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// What a command carries into the error queue besides MassTransit's fault headers: WeCom's errcode of its last failure
/// (<see cref="ProvisioningHeaders.ErrCode"/>), so that tools pick messages by errcode without parsing the fault text.
/// </summary>
internal static class ErrorQueueHeaders
{
    public static void Configure(IReceiveEndpointConfigurator endpoint) =>
        endpoint.ConfigureError(error =>
        {
            error.UseExecute(context =>
            {
                var weCom = context.Exception as WeComException ?? context.Exception.GetBaseException() as WeComException;
                if (weCom?.ErrCode is { } errCode)
                    context.ExceptionHeaders.Set(ProvisioningHeaders.ErrCode, errCode);
            });
            // MassTransit's own error pipe, which an error configuration replaces: the Fault event, then the error queue.
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
}
