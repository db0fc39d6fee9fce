namespace Provisioning.WeCom;

/// <summary>
/// At start-up, one gettoken per configured enterprise: a wrong secret (40001), an unknown corp id (40013) or an
/// unreachable WeCom shows in readiness and the log before the first command arrives, instead of with it.
/// Runs in the background so that a slow WeCom does not hold up the start.
/// </summary>
internal sealed partial class CredentialCheck(
    CorpDirectory corps,
    IAccessTokenProvider tokens,
    WeComAvailability availability,
    ILogger<CredentialCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(corps.All.Select(corpId => CheckAsync(corpId, stoppingToken))).ConfigureAwait(false);
    }

    async Task CheckAsync(string corpId, CancellationToken cancellationToken)
    {
        try
        {
            await tokens.GetTokenAsync(corpId, cancellationToken).ConfigureAwait(false);
            LogUsable(logger, corpId);
        }
        catch (WeComException ex)
        {
            // The same report a failed business call makes: a configuration error pauses the enterprise at once.
            availability.Report(corpId, ex.ErrorClass, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Corp {CorpId}: credentials checked, an access token was issued")]
    static partial void LogUsable(ILogger logger, string corpId);
}
