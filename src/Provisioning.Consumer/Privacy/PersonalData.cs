namespace Provisioning.Consumer.Privacy;

/// <summary>Masks personal data for logs: enough to recognise a value, not enough to use it.</summary>
internal static class PersonalData
{
    /// <summary>"+86 13800001234" → "+86 138****1234".</summary>
    public static string MaskMobile(string? mobile)
    {
        if (string.IsNullOrEmpty(mobile))
            return "";
        if (mobile.Length <= 7)
            return new string('*', mobile.Length);
        return string.Concat(mobile.AsSpan(0, mobile.Length - 8), "****", mobile.AsSpan(mobile.Length - 4));
    }

    /// <summary>"zhang.san@example.com" → "z***@example.com".</summary>
    public static string MaskEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
            return "";
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : string.Concat(email.AsSpan(0, 1), "***", email.AsSpan(at));
    }
}
