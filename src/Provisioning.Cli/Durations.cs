using System.Globalization;

namespace Provisioning.Cli;

/// <summary>Durations as typed on a command line: 90 or 90s, 10m, 2h, 1d, or 00:30:00.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        var unit = text[^1];
        var number = char.IsLetter(unit) ? text[..^1] : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && double.IsFinite(amount))
        {
            double? seconds = char.IsLetter(unit)
                ? unit switch { 's' => amount, 'm' => amount * 60, 'h' => amount * 3600, 'd' => amount * 86400, _ => null }
                : amount;
            if (seconds is not { } s || Math.Abs(s) > TimeSpan.MaxValue.TotalSeconds / 2)
                return false;
            duration = TimeSpan.FromSeconds(s);
            return true;
        }
        return !char.IsLetter(unit) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
