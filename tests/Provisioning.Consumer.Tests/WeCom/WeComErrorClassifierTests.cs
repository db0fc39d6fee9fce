using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class WeComErrorClassifierTests
{
    [Theory]
    [InlineData(0, WeComErrorClass.Ok)]
    [InlineData(-1, WeComErrorClass.Transient)]
    [InlineData(45009, WeComErrorClass.Transient)]
    [InlineData(45033, WeComErrorClass.Transient)]
    [InlineData(40014, WeComErrorClass.TokenInvalid)]
    [InlineData(42001, WeComErrorClass.TokenInvalid)]
    [InlineData(40001, WeComErrorClass.TokenInvalid)]
    [InlineData(48002, WeComErrorClass.Configuration)]
    [InlineData(60020, WeComErrorClass.Configuration)]
    [InlineData(60011, WeComErrorClass.Configuration)]
    [InlineData(301002, WeComErrorClass.Configuration)]
    [InlineData(41001, WeComErrorClass.Configuration)]
    [InlineData(45024, WeComErrorClass.Quota)]
    [InlineData(60102, WeComErrorClass.AlreadyExists)]
    [InlineData(60104, WeComErrorClass.Conflict)]
    [InlineData(60106, WeComErrorClass.Conflict)]
    [InlineData(60145, WeComErrorClass.Conflict)]
    [InlineData(40003, WeComErrorClass.Rejected)]
    [InlineData(40058, WeComErrorClass.Rejected)]
    [InlineData(40063, WeComErrorClass.Rejected)]
    [InlineData(40033, WeComErrorClass.Rejected)]
    [InlineData(40035, WeComErrorClass.Rejected)]
    [InlineData(41019, WeComErrorClass.Rejected)]
    [InlineData(40066, WeComErrorClass.Rejected)]
    [InlineData(60123, WeComErrorClass.Rejected)]
    [InlineData(60103, WeComErrorClass.Rejected)]
    [InlineData(60105, WeComErrorClass.Rejected)]
    [InlineData(60110, WeComErrorClass.Rejected)]
    [InlineData(60111, WeComErrorClass.NotFound)]
    [InlineData(60112, WeComErrorClass.Rejected)]
    [InlineData(60129, WeComErrorClass.Rejected)]
    [InlineData(60132, WeComErrorClass.Rejected)]
    [InlineData(60141, WeComErrorClass.Rejected)]
    [InlineData(60143, WeComErrorClass.Rejected)]
    [InlineData(60257, WeComErrorClass.Rejected)]
    [InlineData(301012, WeComErrorClass.Rejected)]
    [InlineData(301013, WeComErrorClass.Rejected)]
    [InlineData(301015, WeComErrorClass.Rejected)]
    [InlineData(99999, WeComErrorClass.Rejected)]
    public void Classify_BusinessCallErrCode_GivesItsClass(int errCode, WeComErrorClass expected) =>
        Assert.Equal(expected, WeComErrorClassifier.Classify(WeComCall.Business, 200, errCode));

    [Theory]
    [InlineData(40001)]
    [InlineData(40013)]
    [InlineData(40091)]
    [InlineData(41002)]
    [InlineData(41004)]
    [InlineData(45031)]
    public void Classify_GetTokenFailure_IsConfiguration(int errCode) =>
        Assert.Equal(WeComErrorClass.Configuration, WeComErrorClassifier.Classify(WeComCall.GetToken, 200, errCode));

    [Theory]
    [InlineData(-1)]
    [InlineData(45009)]
    public void Classify_GetTokenBusy_IsTransient(int errCode) =>
        Assert.Equal(WeComErrorClass.Transient, WeComErrorClassifier.Classify(WeComCall.GetToken, 200, errCode));

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(429)]
    [InlineData(404)]
    public void Classify_HttpNot200_IsTransient(int status) =>
        Assert.Equal(WeComErrorClass.Transient, WeComErrorClassifier.Classify(WeComCall.Business, status, 0));

    [Fact]
    public void Classify_NoAnswer_IsTransient() =>
        Assert.Equal(WeComErrorClass.Transient, WeComErrorClassifier.Classify(WeComCall.Business, null, null));

    [Fact]
    public void Classify_Http200WithoutErrCode_IsTransient() =>
        Assert.Equal(WeComErrorClass.Transient, WeComErrorClassifier.Classify(WeComCall.Business, 200, null));
}
