using System.Text.Json;
using MassTransit.Serialization;
using Provisioning.Contracts;
using Provisioning.Rules;

namespace Provisioning.Consumer.Tests.Operations;

/// <summary>Unknown properties of a command's JSON, compared as MassTransit's System.Text.Json options deserialize them.</summary>
public sealed class UnknownFieldsTests
{
    static JsonSerializerOptions Options => SystemTextJsonMessageSerializer.Options;

    static IReadOnlyList<FieldError> Find<TCommand>(string json) =>
        UnknownFields.Find(JsonDocument.Parse(json).RootElement, typeof(TCommand), Options);

    [Fact]
    public void Find_EveryFieldOfAFullCommandAsSerialized_NoneUnknown()
    {
        var json = JsonSerializer.SerializeToElement(TestCommands.Full(), Options);

        Assert.Empty(UnknownFields.Find(json, typeof(CreateMember), Options));
    }

    [Fact]
    public void Find_WeComsDepartmentOnUpdateMember_NamesItAndSuggestsDepartments()
    {
        var error = Assert.Single(Find<UpdateMember>("""{"requestId":"6f1c1c7e-1f7a-4a56-9a61-3f2d1c0a9b01","userId":"x","department":[2]}"""));

        Assert.Equal("department", error.Field);
        Assert.Contains("not a property of UpdateMember", error.Message, StringComparison.Ordinal);
        Assert.Contains("'departments'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_KnownNamesInAnyCase_NoneUnknown() =>
        Assert.Empty(Find<UpdateMember>("""{"RequestId":"6f1c1c7e-1f7a-4a56-9a61-3f2d1c0a9b01","USERID":"x","Departments":[{"ID":1,"isleader":true}]}"""));

    [Fact]
    public void Find_UnknownKeyInADepartmentItem_NamesItsPath() =>
        Assert.Equal(["departments[1].is_leader"],
            Find<CreateMember>("""{"userId":"x","departments":[{"id":1},{"id":2,"is_leader":1}]}""").Select(e => e.Field));

    [Fact]
    public void Find_JsonPropertyNamesOfWeComShapedTypes_NoneUnknown() =>
        Assert.Empty(Find<CreateMember>("""{"userId":"x","externalProfile":{"external_corp_name":"c","wechat_channels":{"nickname":"n"}}}"""));

    [Fact]
    public void Find_AnythingInsideExtra_NoneUnknown() =>
        Assert.Empty(Find<CreateMember>("""{"userId":"x","extra":{"anything":{"at":["all"]}}}"""));

    [Fact]
    public void Find_Typo_SuggestsTheClosestProperty() =>
        Assert.Contains("did you mean 'mobile'", Assert.Single(Find<SyncMember>("""{"userId":"x","mobil":"138"}""")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(typeof(CreateMember))]
    [InlineData(typeof(UpdateMember))]
    [InlineData(typeof(DisableMember))]
    [InlineData(typeof(EnableMember))]
    [InlineData(typeof(DeleteMember))]
    [InlineData(typeof(SyncMember))]
    public void Find_EveryCommandType_NamesAnUnknownProperty(Type commandType)
    {
        var errors = UnknownFields.Find(JsonDocument.Parse("""{"userId":"x","reason":"left"}""").RootElement, commandType, Options);

        Assert.Equal("reason", Assert.Single(errors).Field);
    }

    [Fact]
    public void Find_ThousandsOfUnknownProperties_ReportsTheFirstTwenty()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"\"f{i}\":{i}")) + "}";

        var errors = Find<UpdateMember>(json);

        Assert.Equal(UnknownFields.MaxReported, errors.Count);
        Assert.Equal("f0", errors[0].Field);
    }
}
