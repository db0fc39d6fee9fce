using Provisioning.Rules;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Tests.Operations;

/// <summary>The rules of the lifecycle commands: what an update, a sync and the leaver commands may and must carry.</summary>
public sealed class LifecycleRulesTests
{
    static readonly Guid Request = Guid.Parse("0b9b7e8e-3c2a-4d5e-9f10-2a3b4c5d6e7f");

    static UpdateMember Update() => new() { RequestId = Request, UserId = "zhangsan" };

    static string Only(IReadOnlyList<FieldError> errors) => $"{Assert.Single(errors).Field}: {errors[0].Message}";

    [Fact]
    public void Update_OneFieldOrEnableOnly_IsValid()
    {
        Assert.Empty(MemberRules.Validate(Update() with { Position = "经理" }));
        Assert.Empty(MemberRules.Validate(Update() with { Enable = false }));
        // No mobile or email: an update keeps the member's.
        Assert.Empty(MemberRules.Validate(Update() with { Name = "张三丰" }));
    }

    [Fact]
    public void Update_NothingToChange_SaysSo() =>
        Assert.Contains("changes nothing", Only(MemberRules.Validate(Update())), StringComparison.Ordinal);

    [Fact]
    public void Update_EmptyDepartments_IsRefusedBecauseItWouldReplaceTheList() =>
        Assert.StartsWith("departments: must not be empty on an update", Only(MemberRules.Validate(Update() with { Departments = [] })), StringComparison.Ordinal);

    [Fact]
    public void Update_MainDepartmentWithoutDepartments_IsLeftToWeCom() =>
        Assert.Empty(MemberRules.Validate(Update() with { MainDepartment = 7 }));

    [Fact]
    public void Update_MainDepartmentOutsideGivenDepartments_NamesIt() =>
        Assert.StartsWith("mainDepartment:", Only(MemberRules.Validate(Update() with { Departments = [new() { Id = 2 }], MainDepartment = 7 })), StringComparison.Ordinal);

    [Theory]
    [InlineData("ZhangSan", "must differ from userId")]
    [InlineData("-bad", "must be 1-64 characters")]
    public void Update_NewUserId_MustBeAnotherValidUserId(string newUserId, string message) =>
        Assert.Contains(message, Only(MemberRules.Validate(Update() with { NewUserId = newUserId })), StringComparison.Ordinal);

    [Fact]
    public void Update_ToInvite_IsForCreationOnly() =>
        Assert.StartsWith("toInvite:", Only(MemberRules.Validate(Update() with { Position = "x", ToInvite = true })), StringComparison.Ordinal);

    [Fact]
    public void Update_InvalidProfileField_IsCheckedAsOnCreate() =>
        Assert.StartsWith("mobile:", Only(MemberRules.Validate(Update() with { Mobile = "abc" })), StringComparison.Ordinal);

    [Fact]
    public void Sync_NeedsNameAndMobileOrEmail_AsACreate()
    {
        var errors = MemberRules.Validate(new SyncMember { RequestId = Request, UserId = "zhangsan" });

        Assert.Equal(["name", "mobile"], errors.Select(e => e.Field));
    }

    [Fact]
    public void LeaverCommands_NeedARequestIdAndAValidUserId()
    {
        Assert.Empty(MemberRules.Validate(Request, "zhangsan"));
        Assert.Equal(["requestId", "userId"], MemberRules.Validate(Guid.Empty, "").Select(e => e.Field));
        Assert.Equal(["userId"], MemberRules.Validate(Request, "has space").Select(e => e.Field));
    }
}
