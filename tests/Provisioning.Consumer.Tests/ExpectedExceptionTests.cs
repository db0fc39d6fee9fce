using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Provisioning.Consumer.Logging;

namespace Provisioning.Consumer.Tests;

/// <summary>
/// Which exceptions the one-line log writes without a stack trace: those that corrupted input raises, produced here as
/// the consumer meets them, and not a defect of ours.
/// </summary>
public sealed class ExpectedExceptionTests
{
    [Fact]
    public void IsExpected_CorruptedMessageIdInAnEnvelope_True()
    {
        var body = """{"messageId":"3012776d-526c-47eg-969e-68385ff12672","messageType":["urn:message:Provisioning.Contracts:UpdateMember"],"message":{"userId":"x"}}""";
        var context = SystemTextJsonMessageSerializer.Instance.Deserialize(new BytesMessageBody(Encoding.UTF8.GetBytes(body)), new DictionarySendHeaders());

        var exception = Assert.Throws<FormatException>(() => context.MessageId);

        Assert.True(OneLineConsoleFormatter.IsExpected(exception));
    }

    [Fact]
    public void IsExpected_InvalidUtf8InAJsonString_True()
    {
        byte[] json = [.. "{\"userId\":\""u8, 0xE1, 0x80, .. "\"}"u8];
        using var document = JsonDocument.Parse(json);

        var exception = Assert.Throws<InvalidOperationException>(() => document.RootElement.GetProperty("userId").GetString());

        Assert.True(OneLineConsoleFormatter.IsExpected(exception));
    }

    [Fact]
    public void IsExpected_AnInvalidOperationOfOurOwn_False() =>
        Assert.False(OneLineConsoleFormatter.IsExpected(CaughtFromHere()));

    static InvalidOperationException CaughtFromHere()
    {
        try
        {
            throw new InvalidOperationException("a defect");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
