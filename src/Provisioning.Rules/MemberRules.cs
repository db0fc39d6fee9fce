using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provisioning.Contracts;

namespace Provisioning.Rules;

/// <summary>
/// Every rule of <c>user/create</c> and <c>user/update</c> (WeCom documents 90195 and 90197) checked
/// before any call, all at once, for each command type. Field paths are the command's camelCase JSON paths. Pure: no
/// I/O, no configuration.
/// </summary>
public static partial class MemberRules
{
    const int MaxDepartments = 100;

    // \z, not $: in .NET, $ also matches before a final newline, which let "abc\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-@.]{0,63}\z")]
    private static partial Regex UserIdPattern();

    // The docs' own example "+86 13800000000" has a space, so spaces are accepted.
    [GeneratedRegex(@"^[0-9+\- ]{1,32}\z")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^[0-9+\-,]{1,32}\z")]
    private static partial Regex TelephonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+\z")]
    private static partial Regex EmailPattern();

    /// <summary>Every broken rule of any command: what the consumer checks before it calls WeCom.</summary>
    public static IReadOnlyList<FieldError> ValidateAny(object command) => command is IProvisioningCommand known
        ? CommandCatalogue.Of(command.GetType()).Rules(known)
        : throw new ArgumentException($"{command.GetType().Name} is not a command", nameof(command));

    public static IReadOnlyList<FieldError> Validate(CreateMember command) =>
        Check(command.RequestId, command.UserId, (errors, add) =>
        {
            CheckText(command.Name, "name", 64, add, required: true);
            CheckProfile(command, forUpdate: false, add);
        });

    public static IReadOnlyList<FieldError> Validate(SyncMember command) =>
        Check(command.RequestId, command.UserId, (errors, add) =>
        {
            CheckText(command.Name, "name", 64, add, required: true);
            CheckProfile(command, forUpdate: false, add);
        });

    public static IReadOnlyList<FieldError> Validate(UpdateMember command) =>
        Check(command.RequestId, command.UserId, (errors, add) =>
        {
            CheckText(command.Name, "name", 64, add);
            if (command.NewUserId is not null)
            {
                if (!UserIdPattern().IsMatch(command.NewUserId))
                    add("newUserId", "must be 1-64 characters of letters, digits and _-@., starting with a letter or digit");
                else if (string.Equals(command.NewUserId, command.UserId, StringComparison.OrdinalIgnoreCase))
                    add("newUserId", "must differ from userId (WeCom compares userids ignoring case)");
            }
            if (command.ToInvite is not null)
                add("toInvite", "is for creation only: user/update has no to_invite");
            CheckProfile(command, forUpdate: true, add);
            if (errors.Count == 0 && !ChangesAnything(command))
                add("userId", "the command changes nothing: give at least one field to change");
        });

    /// <summary>Disable, enable and delete: a request id and a userid, nothing else.</summary>
    public static IReadOnlyList<FieldError> Validate(Guid requestId, string? userId) => Check(requestId, userId, (_, _) => { });

    static List<FieldError> Check(Guid requestId, string? userId, Action<List<FieldError>, Action<string, string>> rules)
    {
        var errors = new List<FieldError>();
        void Add(string field, string message) => errors.Add(new FieldError { Field = field, Message = message });

        if (requestId == Guid.Empty)
            Add("requestId", "is required: a non-empty GUID chosen by the publisher as the idempotency key");

        if (string.IsNullOrEmpty(userId))
            Add("userId", "is required");
        else if (!UserIdPattern().IsMatch(userId))
            Add("userId", "must be 1-64 characters of letters, digits and _-@., starting with a letter or digit");

        rules(errors, Add);
        return errors;
    }

    static bool ChangesAnything(UpdateMember command) => command.Enable is not null || ChangesProfile(command);

    /// <summary>Whether an update changes any field but <c>enable</c>.</summary>
    public static bool ChangesProfile(UpdateMember command) =>
        UserRequestMapper.Map(command with { Enable = null }) is var body &&
        (body.NewUserId ?? body.Name ?? body.Alias ?? body.Mobile ?? body.Position ?? body.Gender ?? body.Email ?? body.BizMail ??
            body.Telephone ?? body.AvatarMediaId ?? body.ExternalPosition ?? body.Nickname ?? body.Address) is not null ||
        body.Department is not null || body.DirectLeader is not null || body.ExtAttr is not null ||
        body.ExternalProfile is not null || body.MainDepartment is not null || body.Extra is { Count: > 0 };

    /// <summary>The member fields: the same rules on create and update, but for what a create requires.</summary>
    static void CheckProfile(MemberProfile command, bool forUpdate, Action<string, string> add)
    {
        CheckText(command.Alias, "alias", 64, add);
        CheckText(command.Position, "position", 128, add);
        CheckText(command.Address, "address", 128, add);
        CheckText(command.ExternalPosition, "externalPosition", 12, add);
        CheckText(command.AvatarMediaId, "avatarMediaId", 256, add);
        CheckText(command.Nickname, "nickname", 64, add);

        if (command.Mobile is not null && !MobilePattern().IsMatch(command.Mobile))
            add("mobile", "must be at most 32 characters of digits, '+', '-' and spaces");
        if (!forUpdate && string.IsNullOrWhiteSpace(command.Mobile) && string.IsNullOrWhiteSpace(command.Email))
            add("mobile", "mobile or email is required (WeCom 60129)");

        CheckEmail(command.Email, "email", add);
        CheckEmail(command.BizMail, "bizMail", add);

        if (command.Telephone is not null && !TelephonePattern().IsMatch(command.Telephone))
            add("telephone", "must be at most 32 characters of digits, '-', '+' and ','");

        if (command.Gender is not null and not (1 or 2))
            add("gender", "must be 1 (male) or 2 (female), or absent");

        CheckDepartments(command, forUpdate, add);
        CheckDirectLeaders(command.DirectLeaders, add);
        CheckAttributes(command.ExtAttr?.Attrs, "extAttr.attrs", allowMiniprogram: false, add);
        if (command.ExtAttr is { Attrs: null })
            add("extAttr.attrs", "is required when extAttr is given");
        if (command.ExternalProfile is { } profile)
        {
            CheckText(profile.ExternalCorpName, "externalProfile.external_corp_name", 64, add);
            CheckText(profile.WechatChannels?.Nickname, "externalProfile.wechat_channels.nickname", 64, add);
            CheckAttributes(profile.ExternalAttr, "externalProfile.external_attr", allowMiniprogram: true, add);
        }

        CheckExtra(command.Extra, add);
    }

    static void CheckText(string? value, string field, int maxCharacters, Action<string, string> add, bool required = false)
    {
        if (value is null || (value.Length == 0 && !required))
        {
            if (required)
                add(field, "is required");
            return;
        }
        if (string.IsNullOrWhiteSpace(value))
            add(field, required ? "is required" : "must not be blank");
        else if (value.EnumerateRunes().Count() > maxCharacters)
            add(field, $"must be at most {maxCharacters} characters");
        else if (value.Any(char.IsControl))
            add(field, "must not contain control characters");
    }

    static void CheckEmail(string? value, string field, Action<string, string> add)
    {
        if (value is null)
            return;
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes is < 6 or > 64)
            add(field, "must be 6-64 bytes long");
        else if (!EmailPattern().IsMatch(value))
            add(field, "must be a valid email address");
    }

    static void CheckDepartments(MemberProfile command, bool forUpdate, Action<string, string> add)
    {
        // On an update a given list replaces the member's: an empty one would leave them in no department.
        if (forUpdate && command.Departments is { Count: 0 })
            add("departments", "must not be empty on an update: a given list replaces the member's departments; leave it out to keep them");
        var departments = command.Departments ?? [];
        if (departments.Count > MaxDepartments)
            add("departments", $"must have at most {MaxDepartments} entries");

        var seen = new HashSet<long>();
        for (var i = 0; i < departments.Count; i++)
        {
            var department = departments[i];
            if (department is null)
            {
                add($"departments[{i}]", "must not be null");
                continue;
            }
            if (department.Id is not { } id)
                add($"departments[{i}].id", "is required (0 means 其他（待设置部门）)");
            else if (id is < 0 or > uint.MaxValue)
                add($"departments[{i}].id", "must be a department id from 0 to 4294967295");
            else if (!seen.Add(id))
                add($"departments[{i}].id", $"department {department.Id} is listed more than once");
            if (department.Order is < 0 or > uint.MaxValue)
                add($"departments[{i}].order", "must be from 0 to 4294967295");
        }

        // An update that keeps the departments may name any of the member's: WeCom checks it.
        if (command.MainDepartment is { } main && !(forUpdate && command.Departments is null) && !departments.Any(d => d?.Id == main))
            add("mainDepartment", "must be one of the ids in departments");
    }

    static void CheckDirectLeaders(IReadOnlyList<string>? leaders, Action<string, string> add)
    {
        if (leaders is null)
            return;
        if (leaders.Count > 1)
            add("directLeaders", "must have at most 1 userid");
        for (var i = 0; i < leaders.Count; i++)
        {
            if (leaders[i] is null || !UserIdPattern().IsMatch(leaders[i]))
                add($"directLeaders[{i}]", "must be a valid userid");
        }
    }

    static void CheckAttributes(IReadOnlyList<ExtAttrItem>? attrs, string path, bool allowMiniprogram, Action<string, string> add)
    {
        if (attrs is null)
            return;
        for (var i = 0; i < attrs.Count; i++)
        {
            var attr = attrs[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (attr is null)
            {
                add(at, "must not be null");
                continue;
            }
            CheckText(attr.Name, $"{at}.name", 64, add, required: true);
            switch (attr.Type)
            {
                case 0 when attr.Text is null:
                    add($"{at}.text", "is required for type 0 (text)");
                    break;
                case 0:
                    if (attr.Text.Value is null || attr.Text.Value.EnumerateRunes().Count() > 64)
                        add($"{at}.text.value", "must be at most 64 characters");
                    break;
                case 1 when attr.Web is null:
                    add($"{at}.web", "is required for type 1 (web)");
                    break;
                case 1:
                    if (!Uri.TryCreate(attr.Web.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                        add($"{at}.web.url", "must be an absolute http:// or https:// URL");
                    if (string.IsNullOrEmpty(attr.Web.Title) || attr.Web.Title.EnumerateRunes().Count() > 12)
                        add($"{at}.web.title", "must be 1-12 characters");
                    break;
                case 2 when !allowMiniprogram:
                    add($"{at}.type", "must be 0 (text) or 1 (web); mini programs are for external attributes only");
                    break;
                case 2 when attr.Miniprogram is null || string.IsNullOrEmpty(attr.Miniprogram.AppId) || string.IsNullOrEmpty(attr.Miniprogram.Title):
                    add($"{at}.miniprogram", "is required for type 2, with appid and title");
                    break;
                case 2:
                    break;
                default:
                    add($"{at}.type", allowMiniprogram ? "must be 0 (text), 1 (web) or 2 (mini program)" : "must be 0 (text) or 1 (web)");
                    break;
            }
        }
    }

    static void CheckExtra(JsonElement? extra, Action<string, string> add)
    {
        if (extra is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return;
        if (value.ValueKind != JsonValueKind.Object)
        {
            add("extra", "must be a JSON object of further user/create fields");
            return;
        }
        foreach (var property in value.EnumerateObject())
        {
            if (UserRequest.TypedFields.Contains(property.Name))
                add($"extra.{property.Name}", $"'{property.Name}' is covered by a typed field of the command; set that field instead");
            else if (property.Name == "access_token")
                add($"extra.{property.Name}", "must not be given: the service supplies the access token");
        }
    }
}
