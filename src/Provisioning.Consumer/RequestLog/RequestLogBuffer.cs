using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Provisioning.Operations;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.RequestLog;

/// <summary>
/// Where the pipeline records each step of a request. Recording only queues the step (no I/O on the consume path);
/// <see cref="RequestLogWriter"/> writes what queued up in one transaction. The log is for people: the commands' fate
/// never depends on it, so when its store is down steps wait in memory, and beyond
/// <see cref="RequestLogOptions.QueueCapacity"/> the newest are dropped (counted, logged once a minute).
/// </summary>
internal sealed partial class RequestLogBuffer(IOptions<RequestLogOptions> options, ProvisioningInstrumentation instrumentation, TimeProvider time,
    ILogger<RequestLogBuffer> logger)
{
    readonly Channel<RequestEvent> _steps = Channel.CreateBounded<RequestEvent>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    long _lastDropWarning;
    volatile bool _completed;

    public bool Enabled { get; } = options.Value.Enabled;

    internal ChannelReader<RequestEvent> Pending => _steps.Reader;

    /// <summary>No more steps (the host stops): the writer drains what is queued and ends.</summary>
    internal void Complete()
    {
        _completed = true;
        _steps.Writer.TryComplete();
    }

    public void Record(RequestEvent step)
    {
        // After Complete (the host stops) a late step is not a sign of a store outage: not counted as dropped.
        if (!Enabled || _steps.Writer.TryWrite(step) || _completed)
            return;
        instrumentation.RequestLogDropped();
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropWarning);
        if ((last == 0 || time.GetElapsedTime(last, now) > TimeSpan.FromMinutes(1)) && Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
            LogDropped(logger, options.Value.QueueCapacity);
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning,
        Message = "Request log: {Capacity} steps wait to be written (is its store down?); newer steps are dropped from the log until it catches up. Commands are not affected")]
    static partial void LogDropped(ILogger logger, int capacity);
}
