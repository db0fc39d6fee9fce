using Provisioning.Contracts;
using System.Collections.Concurrent;
using MassTransit;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// One lane per configured enterprise and command type: a durable queue <c>{input}.{corpId}</c> with its own receive
/// endpoint, so an enterprise's slots and prefetch window are its own. The router (command router)
/// puts each command in its enterprise's lane; an enterprise's lanes stop and start together. While an enterprise is paused its lane stops consuming: the commands wait in the broker,
/// in order and unacknowledged by no one (no consumer timeout), and come back when a probe is due or it resumes.
/// With a single enterprise there is nothing to route: the input queue is its lane as well (<see cref="Direct"/>), which
/// saves every command a hop through the broker; the lane queue stays consumed for commands held there.
/// </summary>
internal sealed partial class CorpLanes(
    CorpDirectory corps,
    WeComAvailability availability,
    CommandQueues queues,
    RetryParking parking,
    TimeProvider time,
    ILogger<CorpLanes> logger) : BackgroundService, IReceiveEndpointObserver
{
    static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(200);

    sealed class Lane(string corpId, int endpoints)
    {
        public string CorpId { get; } = corpId;
        public readonly List<IReceiveEndpoint> Endpoints = [];
        public readonly int ExpectedEndpoints = endpoints;
        public bool Consuming = true;
        public Task Transition = Task.CompletedTask;
    }

    readonly ConcurrentDictionary<string, Lane> _byQueue = Lanes(corps.All, queues.Inputs);

    static ConcurrentDictionary<string, Lane> Lanes(IReadOnlyList<string> corpIds, IReadOnlyCollection<string> inputs)
    {
        var lanes = new ConcurrentDictionary<string, Lane>(StringComparer.Ordinal);
        foreach (var corpId in corpIds)
        {
            var lane = new Lane(corpId, inputs.Count * (corpIds.Count == 1 ? 2 : 1));
            foreach (var input in inputs)
                lanes[CommandQueueNames.Lane(input, corpId)] = lane;
        }
        if (corpIds.Count == 1)
        {
            foreach (var input in inputs)
                lanes[input] = lanes[CommandQueueNames.Lane(input, corpIds[0])];
        }
        return lanes;
    }

    /// <summary>One enterprise only: the input queue is consumed as its lane, without the router.</summary>
    public bool Direct => corps.All.Count == 1;

    /// <summary>The lane queues of one input queue (not the input queue itself when <see cref="Direct"/>).</summary>
    public IEnumerable<string> LanesOf(string input) => corps.All.Select(corpId => CommandQueueNames.Lane(input, corpId));

    /// <summary>The enterprise whose lane an endpoint's address is, if it is one.</summary>
    public string? CorpOf(Uri inputAddress) => _byQueue.GetValueOrDefault(CommandQueues.QueueOf(inputAddress))?.CorpId;

    /// <summary>The lane of the delivery's command type for an enterprise.</summary>
    string LaneOf(ConsumeContext context, string corpId) =>
        CommandQueueNames.Lane(queues.InputOfQueue(CommandQueues.QueueOf(context.ReceiveContext.InputAddress))
            ?? throw new InvalidOperationException($"No command input queue for {context.ReceiveContext.InputAddress}."), corpId);

    Lane? ByCorp(string corpId) => _byQueue.Values.FirstOrDefault(lane => lane.CorpId == corpId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A pause stops its lane at once (a command that met it is being held meanwhile); the polling below restarts a
        // lane when a probe is due or the pause has ended, and catches up with anything missed.
        availability.Paused += corpId =>
        {
            if (ByCorp(corpId) is { } lane)
                Reconcile(lane, stoppingToken);
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var lane in _byQueue.Values.Distinct())
                Reconcile(lane, stoppingToken);
            await Task.Delay(CheckInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts a command of a paused enterprise back at the tail of its lane (unchanged, not an attempt) and makes sure
    /// the lane stops consuming, so the command does not come straight back.
    /// </summary>
    public async Task HoldAsync(ConsumeContext context, string corpId)
    {
        await parking.HoldAsync(context.ReceiveContext, LaneOf(context, corpId), context.CancellationToken).ConfigureAwait(false);
        if (ByCorp(corpId) is { } lane)
            Reconcile(lane, CancellationToken.None);
    }

    void Reconcile(Lane lane, CancellationToken cancellationToken)
    {
        lock (lane)
        {
            if (lane.Endpoints.Count < lane.ExpectedEndpoints || !lane.Transition.IsCompleted)
                return;
            var endpoints = lane.Endpoints.ToArray();
            var held = availability.IsHeld(lane.CorpId);
            if (held && lane.Consuming)
            {
                lane.Consuming = false;
                LogHeld(logger, lane.CorpId);
                // Not on the caller's thread: stopping waits for the lane's deliveries, and the caller may be one of them.
                lane.Transition = Task.Run(() => Task.WhenAll(endpoints.Select(endpoint => endpoint.Stop(cancellationToken))), CancellationToken.None);
            }
            else if (!held && !lane.Consuming)
            {
                lane.Consuming = true;
                LogResumed(logger, lane.CorpId);
                lane.Transition = Task.Run(() => Task.WhenAll(endpoints.Select(endpoint => endpoint.Start(cancellationToken).Ready)), CancellationToken.None);
            }
        }
    }

    Task IReceiveEndpointObserver.Ready(ReceiveEndpointReady ready)
    {
        if (_byQueue.TryGetValue(CommandQueues.QueueOf(ready.InputAddress), out var lane))
        {
            lock (lane)
            {
                // Ready again after a restart of the same endpoint is not a new one.
                if (!lane.Endpoints.Contains(ready.ReceiveEndpoint))
                    lane.Endpoints.Add(ready.ReceiveEndpoint);
            }
        }
        return Task.CompletedTask;
    }

    Task IReceiveEndpointObserver.Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    Task IReceiveEndpointObserver.Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    Task IReceiveEndpointObserver.Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    // Debug: a pause and its end are logged by WeComAvailability; the lane stops and starts again for every probe.
    [LoggerMessage(EventId = 1220, Level = LogLevel.Debug,
        Message = "Lane of corp {CorpId} stops consuming while the corp is paused: its commands wait in the broker; other corps go on")]
    static partial void LogHeld(ILogger logger, string corpId);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Debug, Message = "Lane of corp {CorpId} consumes again (probe due or corp resumed)")]
    static partial void LogResumed(ILogger logger, string corpId);
}
