using System.Text.Json;
using Provisioning.Rules;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Tests.Operations;

public sealed class MemberRulesTests
{
    static IReadOnlyList<FieldError> Errors(CreateMember command) => MemberRules.Validate(command);

    static void AssertOnlyError(CreateMember command, string field, string messageFragment)
    {
        var errors = Errors(command);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(messageFragment, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Validate_MinimalCommand_HasNoErrors() => Assert.Empty(Errors(TestCommands.Minimal()));

    [Fact]
    public void Validate_FullCommand_HasNoErrors() => Assert.Empty(Errors(TestCommands.Full()));

    [Fact]
    public void Validate_EmptyRequestId_NamesRequestId() =>
        AssertOnlyError(TestCommands.Minimal() with { RequestId = Guid.Empty }, "requestId", "required");

    [Theory]
    [InlineData("a")]
    [InlineData("zhang.san@corp-1_x")]
    [InlineData("0abc")]
    public void Validate_ValidUserId_HasNoErrors(string userId) => Assert.Empty(Errors(TestCommands.Minimal(userId)));

    [Theory]
    [InlineData("", "required")]
    [InlineData("_zhangsan", "starting with a letter or digit")]
    [InlineData("zhang san", "letters, digits")]
    [InlineData("张三", "letters, digits")]
    [InlineData("abc\n", "letters, digits")]
    [InlineData("abc\r\n", "letters, digits")]
    public void Validate_InvalidUserId_NamesUserId(string userId, string message) =>
        AssertOnlyError(TestCommands.Minimal(userId), "userId", message);

    [Fact]
    public void Validate_UserIdOf65Characters_NamesUserId() =>
        AssertOnlyError(TestCommands.Minimal(new string('a', 65)), "userId", "1-64");

    [Fact]
    public void Validate_UserIdOf64Characters_HasNoErrors() => Assert.Empty(Errors(TestCommands.Minimal(new string('a', 64))));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_MissingName_NamesName(string name) =>
        AssertOnlyError(TestCommands.Minimal() with { Name = name }, "name", "required");

    [Fact]
    public void Validate_NameOf64ChineseCharacters_HasNoErrors() =>
        Assert.Empty(Errors(TestCommands.Minimal() with { Name = new string('张', 64) }));

    [Fact]
    public void Validate_NameOf65Characters_NamesName() =>
        AssertOnlyError(TestCommands.Minimal() with { Name = new string('张', 65) }, "name", "at most 64");

    [Fact]
    public void Validate_NameWithControlCharacter_NamesName() =>
        AssertOnlyError(TestCommands.Minimal() with { Name = "张\n三" }, "name", "control");

    [Theory]
    [InlineData("alias", 64)]
    [InlineData("position", 128)]
    [InlineData("address", 128)]
    [InlineData("externalPosition", 12)]
    public void Validate_TextOverItsLimit_NamesTheField(string field, int limit)
    {
        var tooLong = new string('x', limit + 1);
        var command = field switch
        {
            "alias" => TestCommands.Minimal() with { Alias = tooLong },
            "position" => TestCommands.Minimal() with { Position = tooLong },
            "address" => TestCommands.Minimal() with { Address = tooLong },
            _ => TestCommands.Minimal() with { ExternalPosition = tooLong },
        };
        AssertOnlyError(command, field, $"at most {limit}");
    }

    [Fact]
    public void Validate_EmptyAlias_NamesAlias() =>
        AssertOnlyError(TestCommands.Minimal() with { Alias = " " }, "alias", "blank");

    [Theory]
    [InlineData("13800000000")]
    [InlineData("+86 13800000000")]
    [InlineData("+852-61234567")]
    public void Validate_ValidMobile_HasNoErrors(string mobile) =>
        Assert.Empty(Errors(TestCommands.Minimal() with { Mobile = mobile }));

    [Theory]
    [InlineData("138-abc")]
    [InlineData("123456789012345678901234567890123")]
    public void Validate_InvalidMobile_NamesMobile(string mobile) =>
        AssertOnlyError(TestCommands.Minimal() with { Mobile = mobile }, "mobile", "32 characters");

    [Fact]
    public void Validate_NeitherMobileNorEmail_NamesMobileOrEmailRule() =>
        AssertOnlyError(TestCommands.Minimal() with { Mobile = null }, "mobile", "mobile or email is required");

    [Fact]
    public void Validate_EmailWithoutMobile_HasNoErrors() =>
        Assert.Empty(Errors(TestCommands.Minimal() with { Mobile = null, Email = "zs@example.com" }));

    [Theory]
    [InlineData("a@b.c", "6-64 bytes")]
    [InlineData("not-an-email", "valid email")]
    [InlineData("zhang san@example.com", "valid email")]
    public void Validate_InvalidEmail_NamesEmail(string email, string message) =>
        AssertOnlyError(TestCommands.Minimal() with { Email = email }, "email", message);

    [Fact]
    public void Validate_EmailOver64Bytes_NamesEmail() =>
        AssertOnlyError(TestCommands.Minimal() with { Email = new string('a', 60) + "@example.com" }, "email", "6-64 bytes");

    [Fact]
    public void Validate_InvalidBizMail_NamesBizMail() =>
        AssertOnlyError(TestCommands.Minimal() with { BizMail = "nope" }, "bizMail", "6-64 bytes");

    [Theory]
    [InlineData("020-12345678")]
    [InlineData("+86-20-1234,567")]
    public void Validate_ValidTelephone_HasNoErrors(string telephone) =>
        Assert.Empty(Errors(TestCommands.Minimal() with { Telephone = telephone }));

    [Theory]
    [InlineData("020 1234")]
    [InlineData("ext. 5")]
    public void Validate_InvalidTelephone_NamesTelephone(string telephone) =>
        AssertOnlyError(TestCommands.Minimal() with { Telephone = telephone }, "telephone", "digits");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Validate_GenderOneOrTwo_HasNoErrors(int gender) =>
        Assert.Empty(Errors(TestCommands.Minimal() with { Gender = gender }));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Validate_OtherGender_NamesGender(int gender) =>
        AssertOnlyError(TestCommands.Minimal() with { Gender = gender }, "gender", "1 (male) or 2 (female)");

    [Fact]
    public void Validate_101Departments_NamesDepartments() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            Departments = [.. Enumerable.Range(1, 101).Select(i => new DepartmentMembership { Id = i })],
        }, "departments", "at most 100");

    [Fact]
    public void Validate_100Departments_HasNoErrors() =>
        Assert.Empty(Errors(TestCommands.Minimal() with
        {
            Departments = [.. Enumerable.Range(1, 100).Select(i => new DepartmentMembership { Id = i })],
        }));

    [Fact]
    public void Validate_NegativeDepartmentId_NamesThatEntry() =>
        AssertOnlyError(TestCommands.Minimal() with { Departments = [new() { Id = 1 }, new() { Id = -5 }] }, "departments[1].id", "department id");

    [Fact]
    public void Validate_DuplicateDepartment_NamesTheRepeat() =>
        AssertOnlyError(TestCommands.Minimal() with { Departments = [new() { Id = 3 }, new() { Id = 3 }] }, "departments[1].id", "more than once");

    [Fact]
    public void Validate_NegativeOrder_NamesTheOrder() =>
        AssertOnlyError(TestCommands.Minimal() with { Departments = [new() { Id = 3, Order = -1 }] }, "departments[0].order", "0 to 4294967295");

    [Fact]
    public void Validate_MainDepartmentNotListed_NamesMainDepartment() =>
        AssertOnlyError(TestCommands.Minimal() with { Departments = [new() { Id = 3 }], MainDepartment = 4 }, "mainDepartment", "one of the ids");

    [Fact]
    public void Validate_MainDepartmentWithoutDepartments_NamesMainDepartment() =>
        AssertOnlyError(TestCommands.Minimal() with { MainDepartment = 1 }, "mainDepartment", "one of the ids");

    [Fact]
    public void Validate_TwoDirectLeaders_NamesDirectLeaders() =>
        AssertOnlyError(TestCommands.Minimal() with { DirectLeaders = ["lisi", "wangwu"] }, "directLeaders", "at most 1");

    [Fact]
    public void Validate_InvalidDirectLeader_NamesThatLeader() =>
        AssertOnlyError(TestCommands.Minimal() with { DirectLeaders = ["li si"] }, "directLeaders[0]", "valid userid");

    [Fact]
    public void Validate_TextAttributeOver64Characters_NamesItsValue() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExtAttr = new ExtAttr { Attrs = [new ExtAttrItem { Type = 0, Name = "n", Text = new ExtAttrText { Value = new string('x', 65) } }] },
        }, "extAttr.attrs[0].text.value", "at most 64");

    [Fact]
    public void Validate_TextAttributeWithoutText_NamesText() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExtAttr = new ExtAttr { Attrs = [new ExtAttrItem { Type = 0, Name = "n" }] },
        }, "extAttr.attrs[0].text", "required for type 0");

    [Theory]
    [InlineData("ftp://example.com", "extAttr.attrs[0].web.url")]
    [InlineData("example.com", "extAttr.attrs[0].web.url")]
    public void Validate_WebAttributeWithoutHttpUrl_NamesItsUrl(string url, string field) =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExtAttr = new ExtAttr { Attrs = [new ExtAttrItem { Type = 1, Name = "n", Web = new ExtAttrWeb { Url = url, Title = "t" } }] },
        }, field, "http");

    [Fact]
    public void Validate_WebAttributeTitleOver12Characters_NamesItsTitle() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExtAttr = new ExtAttr { Attrs = [new ExtAttrItem { Type = 1, Name = "n", Web = new ExtAttrWeb { Url = "https://a.example", Title = new string('t', 13) } }] },
        }, "extAttr.attrs[0].web.title", "1-12");

    [Fact]
    public void Validate_MiniprogramInExtAttr_NamesType() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExtAttr = new ExtAttr { Attrs = [new ExtAttrItem { Type = 2, Name = "n", Miniprogram = new ExtAttrMiniprogram { AppId = "wx1", Title = "t" } }] },
        }, "extAttr.attrs[0].type", "external attributes only");

    [Fact]
    public void Validate_ExternalMiniprogramWithoutAppId_NamesMiniprogram() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExternalProfile = new ExternalProfile { ExternalAttr = [new ExtAttrItem { Type = 2, Name = "n", Miniprogram = new ExtAttrMiniprogram { Title = "t" } }] },
        }, "externalProfile.external_attr[0].miniprogram", "appid and title");

    [Fact]
    public void Validate_UnknownAttributeType_NamesType() =>
        AssertOnlyError(TestCommands.Minimal() with
        {
            ExtAttr = new ExtAttr { Attrs = [new ExtAttrItem { Type = 7, Name = "n" }] },
        }, "extAttr.attrs[0].type", "0 (text) or 1 (web)");

    [Fact]
    public void Validate_ExtraNotAnObject_NamesExtra() =>
        AssertOnlyError(TestCommands.Minimal() with { Extra = JsonDocument.Parse("[1]").RootElement }, "extra", "JSON object");

    [Theory]
    [InlineData("mobile")]
    [InlineData("department")]
    [InlineData("enable")]
    public void Validate_ExtraRepeatsATypedField_NamesThatKey(string key) =>
        AssertOnlyError(TestCommands.Minimal() with { Extra = JsonDocument.Parse($$"""{"{{key}}":1}""").RootElement }, $"extra.{key}", "typed field");

    [Fact]
    public void Validate_ExtraWithNewField_HasNoErrors() =>
        Assert.Empty(Errors(TestCommands.Minimal() with { Extra = JsonDocument.Parse("""{"new_field":{"a":1}}""").RootElement }));

    [Fact]
    public void Validate_ManyBrokenRules_ReportsEachOnce()
    {
        var command = new CreateMember { UserId = "_bad", Name = "", Gender = 9 };

        var fields = Errors(command).Select(e => e.Field).ToList();

        Assert.Equal(["requestId", "userId", "name", "mobile", "gender"], fields);
    }

    [Fact]
    public void Validate_MobileWithTrailingNewline_NamesMobile() =>
        AssertOnlyError(TestCommands.Minimal() with { Mobile = "13800000000\n" }, "mobile", "digits");

    [Fact]
    public void Validate_EmailWithTrailingNewline_NamesEmail() =>
        AssertOnlyError(TestCommands.Minimal() with { Email = "zhangsan@example.com\n" }, "email", "valid email");

    [Fact]
    public void Validate_DepartmentWithoutId_NamesDepartmentId() =>
        AssertOnlyError(TestCommands.Minimal() with { Departments = [new DepartmentMembership()] }, "departments[0].id", "required");

    [Fact]
    public void Validate_DepartmentWithoutIdFromJson_NamesDepartmentId()
    {
        var command = JsonSerializer.Deserialize<CreateMember>(
            """{"requestId":"0b9b7e8e-3c2a-4d5e-9f10-2a3b4c5d6e7f","userId":"zhangsan","name":"张三","mobile":"13800000000","departments":[{}]}""",
            JsonSerializerOptions.Web)!;
        AssertOnlyError(command, "departments[0].id", "required");
    }
}
