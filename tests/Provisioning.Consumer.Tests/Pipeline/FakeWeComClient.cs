using System.Collections.Concurrent;
using System.Text.Json;
using Provisioning.Rules;
using Provisioning.WeCom;
using Provisioning.WeCom.Models;

namespace Provisioning.Consumer.Tests.Pipeline;

/// <summary>An <see cref="IWeComClient"/> that answers from a script and records what it was asked.</summary>
internal sealed class FakeWeComClient : IWeComClient
{
    readonly ConcurrentQueue<WeComResult<UserCreateResponse>> _creates = new();

    public ConcurrentQueue<UserRequest> CreateRequests { get; } = new();

    public WeComResult<UserGetResponse> GetAnswer { get; set; } = new() { Class = WeComErrorClass.Rejected, HttpStatus = 200, ErrCode = 60111, ErrMsg = "userid not found" };

    /// <summary>The answer once the script is used up.</summary>
    public WeComResult<UserCreateResponse> Then { get; set; } = Created("""{"errcode":0,"errmsg":"created"}""");

    public FakeWeComClient Script(params WeComResult<UserCreateResponse>[] answers)
    {
        foreach (var answer in answers)
            _creates.Enqueue(answer);
        return this;
    }

    public Task<WeComResult<UserCreateResponse>> CreateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken)
    {
        CreateRequests.Enqueue(request);
        return Task.FromResult(_creates.TryDequeue(out var answer) ? answer : Then);
    }

    readonly ConcurrentQueue<WeComResult<WeComResponse>> _updates = new();

    public ConcurrentQueue<UserRequest> UpdateRequests { get; } = new();

    public ConcurrentQueue<string> DeleteRequests { get; } = new();

    /// <summary>The answer to <c>user/update</c> once its script is used up.</summary>
    public WeComResult<WeComResponse> ThenUpdate { get; set; } = Answer(0);

    /// <summary>The answer to <c>user/delete</c>.</summary>
    public WeComResult<WeComResponse> DeleteAnswer { get; set; } = Answer(0);

    public FakeWeComClient ScriptUpdates(params WeComResult<WeComResponse>[] answers)
    {
        foreach (var answer in answers)
            _updates.Enqueue(answer);
        return this;
    }

    public Task<WeComResult<WeComResponse>> UpdateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken)
    {
        UpdateRequests.Enqueue(request);
        return Task.FromResult(_updates.TryDequeue(out var answer) ? answer : ThenUpdate);
    }

    public Task<WeComResult<WeComResponse>> DeleteUserAsync(string corpId, string userId, CancellationToken cancellationToken)
    {
        DeleteRequests.Enqueue(userId);
        return Task.FromResult(DeleteAnswer);
    }

    /// <summary>An answer with only errcode and errmsg, classified as the client would.</summary>
    public static WeComResult<WeComResponse> Answer(int errCode) => new()
    {
        Class = WeComErrorClassifier.Classify(WeComCall.Business, 200, errCode),
        HttpStatus = 200,
        ErrCode = errCode,
        ErrMsg = errCode == 0 ? "ok" : $"error {errCode}, hint: [test]",
        Raw = JsonDocument.Parse($$"""{"errcode":{{errCode}},"errmsg":"{{(errCode == 0 ? "ok" : "error")}}"}""").RootElement.Clone(),
    };

    int _getCalls;

    public int GetCalls => Volatile.Read(ref _getCalls);

    public Task<WeComResult<UserGetResponse>> GetUserAsync(string corpId, string userId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _getCalls);
        return Task.FromResult(GetAnswer);
    }

    public static WeComResult<UserCreateResponse> Created(string json)
    {
        var raw = JsonDocument.Parse(json).RootElement.Clone();
        return new() { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, ErrMsg = "created", Raw = raw, Response = raw.Deserialize<UserCreateResponse>() };
    }

    public static WeComResult<UserCreateResponse> Error(int errCode) => new()
    {
        Class = WeComErrorClassifier.Classify(WeComCall.Business, 200, errCode),
        HttpStatus = 200,
        ErrCode = errCode,
        ErrMsg = $"error {errCode}, hint: [test]",
    };
}
