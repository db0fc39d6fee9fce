using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.Tests.RequestLog;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("+86 13800138000", "+86********8000")]
    [InlineData("12345", "***45")]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void Mobile_KeepsOnlyItsEnds(string? mobile, string? masked) => Assert.Equal(masked, PersonalData.MaskMobile(mobile));

    [Theory]
    [InlineData("zhangsan@example.com", "z***@example.com")]
    [InlineData("张三@例子.公司", "张***@例子.公司")]
    [InlineData("no-at-sign", "***")]
    [InlineData(null, null)]
    public void Email_KeepsTheFirstLetterAndTheDomain(string? email, string? masked) => Assert.Equal(masked, PersonalData.MaskEmail(email));
}
