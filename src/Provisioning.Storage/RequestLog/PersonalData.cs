namespace Provisioning.Storage.RequestLog;

/// <summary>
/// What the log keeps of a person's contact details: enough to recognise them (the operator asks "the one ending in
/// 5678?"), never the whole. Masked before they are written, so no page, API answer or backup holds them in clear.
/// </summary>
internal static class PersonalData
{
    /// <summary>"13800138000" → "138****8000"; short numbers keep only their last two digits.</summary>
    public static string? MaskMobile(string? mobile)
    {
        if (string.IsNullOrWhiteSpace(mobile))
            return null;
        var value = mobile.Trim();
        return value.Length >= 9
            ? string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 7), value.AsSpan(value.Length - 4))
            : new string('*', Math.Max(value.Length - 2, 1)) + value[Math.Max(value.Length - 2, 0)..];
    }

    /// <summary>"zhangsan@example.com" → "z***@example.com".</summary>
    public static string? MaskEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            return null;
        var value = email.Trim();
        var at = value.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(value.AsSpan(0, 1), "***", value.AsSpan(at));
    }
}
