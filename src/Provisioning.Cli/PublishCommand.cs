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
            // A temporary, auto-deleted queue bound to the exchanges every success and every failure reaches: this run's
            // own view of the outcomes.
            cfg.ReceiveEndpoint(endpoint =>
            {
                endpoint.Handler<MemberCommandSucceeded>(context =>
                {
                    var m = context.Message;
                    Done(m.RequestId, $"  ✔ {EventName(context),-20} {m.UserId,-20} attempts: {m.Attempts}{Detail(context)}", failed: false);
                    return Task.CompletedTask;
                });
                endpoint.Handler<MemberCommandFailed>(context =>
                {
                    var m = context.Message;
                    var detail = m.Errors.Count > 0
                        ? string.Join("; ", m.Errors.Select(e => $"{e.Field}: {e.Message}"))
                        : m.ErrCode is null ? m.ErrMsg : $"errcode {m.ErrCode}: {m.ErrMsg}";
                    Done(m.RequestId, $"  ✘ {EventName(context),-20} {m.UserId,-20} {m.Reason}: {detail}", failed: true);
                    return Task.CompletedTask;
                });
            });
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

    /// <summary>The concrete event's name (MemberCreated, MemberDisabled, …) from the message types it was published as.</summary>
    static string EventName(ConsumeContext context) =>
        context.SupportedMessageTypes.FirstOrDefault()?.Split(':')[^1] ?? "?";

    static string Detail(ConsumeContext<MemberCommandSucceeded> context) =>
        context.TryGetMessage<MemberCreated>(out var created) && created.Message is { CreatedDepartments.Count: > 0 } m
            ? $", placeholder departments: {string.Join(", ", m.CreatedDepartments.Select(d => $"{d.Id} {d.Name}"))}"
            : context.TryGetMessage<MemberDeleted>(out var deleted) && deleted.Message.AlreadyGone ? ", already gone"
            : context.TryGetMessage<MemberSynced>(out var synced) ? (synced.Message.Created ? ", created" : ", updated")
            : context.TryGetMessage<MemberUpdated>(out var updated) && updated.Message.Warnings.Count > 0 ? $", warnings: {string.Join("; ", updated.Message.Warnings)}"
            : "";
}
