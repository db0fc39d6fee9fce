using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class AdjustableSemaphoreTests
{
    [Fact]
    public async Task SetLimit_Higher_AdmitsWaitersInOrder()
    {
        var slots = new AdjustableSemaphore(1);
        await slots.AcquireAsync(out _, default);
        var second = slots.AcquireAsync(out var queued, default).AsTask();
        var third = slots.AcquireAsync(out _, default).AsTask();
        Assert.True(queued);

        slots.SetLimit(2);

        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(third.IsCompleted);
        slots.SetLimit(3);
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, slots.InUse);
    }

    [Fact]
    public async Task SetLimit_Lower_AdmitsNoOneUntilEnoughHaveLeft()
    {
        var slots = new AdjustableSemaphore(3);
        for (var i = 0; i < 3; i++)
            await slots.AcquireAsync(out _, default);

        slots.SetLimit(1);
        var waiting = slots.AcquireAsync(out _, default).AsTask();
        slots.Release();
        slots.Release();
        Assert.False(waiting.IsCompleted);
        slots.Release();

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, slots.InUse);
    }

    [Fact]
    public async Task Acquire_Cancelled_LeavesTheQueueWithoutTakingASlot()
    {
        var slots = new AdjustableSemaphore(1);
        await slots.AcquireAsync(out _, default);
        using var cancel = new CancellationTokenSource();
        var cancelled = slots.AcquireAsync(out _, cancel.Token).AsTask();
        var next = slots.AcquireAsync(out _, default).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        slots.Release();

        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, slots.InUse);
        Assert.Equal(0, slots.Waiting);
    }
}
