using System.Text.Json;
using Provisioning.Consumer.Tests.Pipeline;
using Provisioning.WeCom;
using Provisioning.WeCom.Models;
using Provisioning.Rules;

namespace Provisioning.Consumer.Tests.Model;

/// <summary>A WeCom that keeps members (exists, enabled, position) and answers as WeCom does: 60102, 60111.</summary>
internal sealed class ModelWeCom : IWeComClient
{
    public sealed record Member(bool Enabled, string? Position);

    readonly Dictionary<string, Member> _members = new(StringComparer.OrdinalIgnoreCase);
    int _calls;

    /// <summary>Every business call, whatever its answer.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Member? Find(string userId)
    {
        lock (_members)
            return _members.GetValueOrDefault(userId);
    }

    public Task<WeComResult<UserCreateResponse>> CreateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (_members)
        {
            if (_members.ContainsKey(request.UserId))
                return Task.FromResult(FakeWeComClient.Error(60102));
            _members[request.UserId] = new Member(request.Enable != 0, request.Position);
        }
        return Task.FromResult(FakeWeComClient.Created("""{"errcode":0,"errmsg":"created"}"""));
    }

    public Task<WeComResult<WeComResponse>> UpdateUserAsync(string corpId, UserRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (_members)
        {
            if (!_members.TryGetValue(request.UserId, out var member))
                return Task.FromResult(FakeWeComClient.Answer(60111));
            _members[request.UserId] = new Member(request.Enable is { } enable ? enable == 1 : member.Enabled, request.Position ?? member.Position);
        }
        return Task.FromResult(FakeWeComClient.Answer(0));
    }

    public Task<WeComResult<WeComResponse>> DeleteUserAsync(string corpId, string userId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (_members)
            return Task.FromResult(FakeWeComClient.Answer(_members.Remove(userId) ? 0 : 60111));
    }

    public Task<WeComResult<UserGetResponse>> GetUserAsync(string corpId, string userId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var member = Find(userId);
        var raw = JsonDocument.Parse(member is null ? """{"errcode":60111,"errmsg":"not found"}""" : $$"""{"errcode":0,"errmsg":"ok","userid":"{{userId}}","status":4}""").RootElement.Clone();
        return Task.FromResult(member is null
            ? new WeComResult<UserGetResponse> { Class = WeComErrorClass.NotFound, HttpStatus = 200, ErrCode = 60111, ErrMsg = "not found", Raw = raw }
            : new WeComResult<UserGetResponse> { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, ErrMsg = "ok", Raw = raw, Response = raw.Deserialize<UserGetResponse>() });
    }
}
