namespace Provisioning.Operations;

internal static class MobileNumbers
{
    /// <summary>Whether two mobiles are one number: WeCom may answer it without the spaces or the country code it was given with.</summary>
    public static bool Same(string held, string given)
    {
        var a = new string(held.Where(char.IsAsciiDigit).ToArray());
        var b = new string(given.Where(char.IsAsciiDigit).ToArray());
        return a.EndsWith(b, StringComparison.Ordinal) || b.EndsWith(a, StringComparison.Ordinal);
    }
}
