using Provisioning.WeCom;
using Provisioning.WeCom.Models;

namespace Provisioning.Consumer.Tests.WeCom;

/// <summary>Answers gettoken with token-1, token-2, … unless told otherwise; counts the calls.</summary>
internal sealed class FakeTokenClient : IWeComTokenClient
{
    int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Func<int, Task<WeComResult<GetTokenResponse>>> Answer { get; set; } = n => Task.FromResult(Ok($"token-{n}", 7200));

    public Task<WeComResult<GetTokenResponse>> GetTokenAsync(string corpId, string corpSecret, CancellationToken cancellationToken) =>
        Answer(Interlocked.Increment(ref _calls));

    public static WeComResult<GetTokenResponse> Ok(string token, int expiresIn) => new()
    {
        Class = WeComErrorClass.Ok,
        HttpStatus = 200,
        ErrCode = 0,
        Response = new GetTokenResponse { ErrCode = 0, AccessToken = token, ExpiresIn = expiresIn },
    };

    public static WeComResult<GetTokenResponse> Error(WeComErrorClass errorClass, int errCode) => new()
    {
        Class = errorClass,
        HttpStatus = 200,
        ErrCode = errCode,
        ErrMsg = "error",
        Response = new GetTokenResponse { ErrCode = errCode },
    };
}
