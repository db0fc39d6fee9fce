using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Provisioning.Contracts;

namespace Provisioning.Cli;

/// <summary>Publishes the commands of a JSON file and prints each outcome as it arrives.</summary>
internal static class PublishCommand
{
    public static async Task<int> RunAsync(PublishOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var commands = JsonSerializer.Deserialize<List<CreateMember>>(await File.ReadAllTextAsync(options.File, cancellationToken).ConfigureAwait(false),
            JsonSerializerOptions.Web) ?? [];
        commands = [.. commands.Select(c => c.RequestId == Guid.Empty ? c with { RequestId = Guid.NewGuid() } : c)];
        var pending = new ConcurrentDictionary<Guid, CreateMember>(commands.ToDictionary(c => c.RequestId));
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
            // A temporary, auto-deleted queue bound to both outcome exchanges: this run's own view of the outcomes.
            cfg.ReceiveEndpoint(endpoint =>
            {
                endpoint.Handler<MemberCreated>(context =>
                {
                    var m = context.Message;
                    var departments = m.CreatedDepartments.Count == 0 ? "" :
                        $", placeholder departments: {string.Join(", ", m.CreatedDepartments.Select(d => $"{d.Id} {d.Name}"))}";
                    Done(m.RequestId, $"  ✔ MemberCreated        {m.UserId,-20} already existed: {m.AlreadyExisted}, attempts: {m.Attempts}{departments}", failed: false);
                    return Task.CompletedTask;
                });
                endpoint.Handler<MemberCreationFailed>(context =>
                {
                    var m = context.Message;
                    var detail = m.Errors.Count > 0
                        ? string.Join("; ", m.Errors.Select(e => $"{e.Field}: {e.Message}"))
                        : $"errcode {m.ErrCode}: {m.ErrMsg}";
                    Done(m.RequestId, $"  ✘ MemberCreationFailed {m.UserId,-20} {m.Reason}: {detail}", failed: true);
                    return Task.CompletedTask;
                });
            });
        });

        await bus.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await output.WriteLineAsync($"Publishing {commands.Count} CreateMember command(s) from {options.File}…").ConfigureAwait(false);
            foreach (var command in commands)
            {
                await bus.Publish(command, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"  → {command.UserId,-20} request {command.RequestId}").ConfigureAwait(false);
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
}
