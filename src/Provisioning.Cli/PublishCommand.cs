using System.Collections.Concurrent;
using MassTransit;
using Provisioning.Contracts;

namespace Provisioning.Cli;

/// <summary>Publishes the commands of a JSON file (any command type, see <see cref="MemberCommandFile"/>) and prints each outcome as it arrives.</summary>
internal static class PublishCommand
{
    public static async Task<int> RunAsync(PublishOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var commands = MemberCommandFile.Read(await File.ReadAllTextAsync(options.File, cancellationToken).ConfigureAwait(false));
        var pending = new ConcurrentDictionary<Guid, MemberCommandFile.Item>(commands.ToDictionary(c => c.RequestId));
        var failures = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void Done(Guid requestId, string line, bool failed)
        {
            if (!pending.TryRemove(requestId, out _))
                return;
            if (failed)
                Interlocked.Increment(ref failures);
            lock (output)
                output.WriteLine(line);
            if (pending.IsEmpty)
                allDone.TrySetResult();
        }

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(options.Broker);
            // MemberProfile is the commands' shared fields, no message of its own: no exchange for it.
            cfg.Publish<MemberProfile>(publish => publish.Exclude = true);
            // A temporary, auto-deleted queue bound to every outcome exchange: this run's own view of the outcomes.
            cfg.ReceiveEndpoint(endpoint =>
            {
                Succeeded<MemberCreated>(endpoint);
                Succeeded<MemberUpdated>(endpoint);
                Succeeded<MemberDisabled>(endpoint);
                Succeeded<MemberEnabled>(endpoint);
                Succeeded<MemberDeleted>(endpoint);
                Succeeded<MemberSynced>(endpoint);
                Failed<MemberCreationFailed>(endpoint);
                Failed<MemberUpdateFailed>(endpoint);
                Failed<MemberDisableFailed>(endpoint);
                Failed<MemberEnableFailed>(endpoint);
                Failed<MemberDeletionFailed>(endpoint);
                Failed<MemberSyncFailed>(endpoint);
            });
        });

        void Succeeded<T>(IReceiveEndpointConfigurator endpoint)
            where T : MemberCommandSucceeded =>
            endpoint.Handler<T>(context =>
            {
                var m = context.Message;
                Done(m.RequestId, $"  ✔ {typeof(T).Name,-20} {m.UserId,-20} attempts: {m.Attempts}{Detail(m)}", failed: false);
                return Task.CompletedTask;
            });

        void Failed<T>(IReceiveEndpointConfigurator endpoint)
            where T : MemberCommandFailed =>
            endpoint.Handler<T>(context =>
            {
                var m = context.Message;
                var detail = m.Errors.Count > 0
                    ? string.Join("; ", m.Errors.Select(e => $"{e.Field}: {e.Message}"))
                    : m.ErrCode is null ? m.ErrMsg : $"errcode {m.ErrCode}: {m.ErrMsg}";
                Done(m.RequestId, $"  ✘ {typeof(T).Name,-20} {m.UserId,-20} {m.Reason}: {detail}", failed: true);
                return Task.CompletedTask;
            });

        await bus.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await output.WriteLineAsync($"Publishing {commands.Count} command(s) from {options.File}…").ConfigureAwait(false);
            foreach (var command in commands)
            {
                await bus.Publish(command.Command, command.Type, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"  → {command.Type.Name,-14} {command.UserId,-20} request {command.RequestId}").ConfigureAwait(false);
            }
            if (!options.Wait || commands.Count == 0)
                return 0;

            await output.WriteLineAsync("Outcomes:").ConfigureAwait(false);
            var finished = await Task.WhenAny(allDone.Task, Task.Delay(options.Timeout, cancellationToken)).ConfigureAwait(false);
            if (finished != allDone.Task)
            {
                await output.WriteLineAsync($"Timed out after {options.Timeout.TotalSeconds:0} s; no outcome yet for: {string.Join(", ", pending.Values.Select(c => c.UserId))}")
                    .ConfigureAwait(false);
                return 3;
            }
            return failures > 0 ? 1 : 0;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    static string Detail(MemberCommandSucceeded success) => success switch
    {
        MemberCreated { CreatedDepartments.Count: > 0 } m => $", placeholder departments: {string.Join(", ", m.CreatedDepartments.Select(d => $"{d.Id} {d.Name}"))}",
        MemberCreated { AlreadyExisted: true } => ", already existed",
        MemberDeleted { AlreadyGone: true } => ", already gone",
        MemberSynced m => m.Created ? ", created" : ", updated",
        MemberUpdated { Warnings.Count: > 0 } m => $", warnings: {string.Join("; ", m.Warnings)}",
        _ => "",
    };
}
