using System.Net;
using Microsoft.AspNetCore.Http;
using Provisioning.Consumer.Operator;

namespace Provisioning.Consumer.Tests.Operator;

/// <summary>Who counts as the local operator (no key needed): only this machine, not through a proxy, addressed as localhost.</summary>
public sealed class LocalOperatorTests
{
    static DefaultHttpContext Request(string remote, string host, string? header = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Request.Host = new HostString(host);
        if (header is not null)
            context.Request.Headers[header] = "203.0.113.9";
        return context;
    }

    [Theory]
    [InlineData("127.0.0.1", "localhost:8091", null, true)]
    [InlineData("127.0.0.1", "127.0.0.1:8091", null, true)]
    [InlineData("::1", "[::1]:8091", null, true)]
    [InlineData("10.1.2.3", "localhost:8091", null, false)]
    [InlineData("127.0.0.1", "localhost:8091", "X-Forwarded-For", false)]
    [InlineData("127.0.0.1", "localhost:8091", "Forwarded", false)]
    [InlineData("127.0.0.1", "localhost:8091", "X-Real-IP", false)]
    // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host.
    [InlineData("127.0.0.1", "attacker.example:8091", null, false)]
    public void IsLocal(string remote, string host, string? proxyHeader, bool local) =>
        Assert.Equal(local, ApiKeyAuthenticationHandler.IsLocal(Request(remote, host, proxyHeader)));

    [Fact]
    public void AKey_IsFoundOnlyWhenWhollyEqual()
    {
        var options = new OperatorOptions { ApiKeys = [new() { Name = "a", Key = "0123456789abcdef-a", Role = "reader" }, new() { Name = "b", Key = "0123456789abcdef-b", Role = "operator" }] };

        Assert.Equal("b", ApiKeyAuthenticationHandler.Find(options, "0123456789abcdef-b")?.Name);
        Assert.Null(ApiKeyAuthenticationHandler.Find(options, "0123456789abcdef-"));
        Assert.Null(ApiKeyAuthenticationHandler.Find(options, "0123456789ABCDEF-b"));
    }

    [Theory]
    [InlineData("Bearer 0123456789abcdef", "0123456789abcdef")]
    [InlineData("Bearer aaa.bbb.ccc", null)]
    [InlineData("Basic dXNlcjpwYXNz", null)]
    public void KeyOf_TakesABearerKeyButLeavesAJwtToItsHandler(string authorization, string? key)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = authorization;
        Assert.Equal(key, ApiKeyAuthenticationHandler.KeyOf(context.Request));
    }
}
