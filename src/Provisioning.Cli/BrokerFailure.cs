using System.Net.Sockets;
using RabbitMQ.Client.Exceptions;

namespace Provisioning.Cli;

/// <summary>Why the broker could not be used, in one line a user can act on (never the password, never a stack trace).</summary>
internal static class BrokerFailure
{
    public static string? Describe(Exception exception, Uri broker)
    {
        var at = BrokerAddress.Safe(broker);
        var user = Uri.UnescapeDataString(broker.UserInfo.Split(':')[0]);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationFailureException:
                    return $"the broker at {at} refused the login of user '{user}': wrong user name or password (give them in --broker or ${BrokerAddress.Variable})";
                case OperationInterruptedException { ShutdownReason.ReplyCode: 530 }:
                    return $"the broker at {at} refused the virtual host '{broker.AbsolutePath.TrimStart('/')}' for user '{user}': it does not exist or the user has no access to it";
                case OperationInterruptedException { ShutdownReason.ReplyCode: 403 } denied:
                    return $"the broker at {at} refused user '{user}': {denied.ShutdownReason.ReplyText}";
                case SocketException socket:
                    return $"cannot reach the broker at {at} ({socket.SocketErrorCode}): is RabbitMQ running there? Give the right one in --broker or ${BrokerAddress.Variable}";
            }
        }
        return exception is BrokerUnreachableException or ConnectFailureException or MassTransit.RabbitMqConnectionException
            ? $"cannot reach the broker at {at}: is RabbitMQ running there? Give the right one in --broker or ${BrokerAddress.Variable}"
            : null;
    }
}
