using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Provisioning.WeComSimulator;

/// <summary>Everything the simulator holds: secrets, tokens, members, the ledger and the faults in force. Thread-safe.</summary>
public sealed class SimulatorState
{
    readonly Lock _gate = new();
    readonly TimeProvider _time;
    readonly int _tokenLifetimeSeconds;
    readonly Dictionary<string, string> _secrets;
    readonly HashSet<long> _departments;
    readonly Dictionary<string, (string CorpId, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    // Per corp: mobiles and (lower-cased) emails in use, so uniqueness checks do not scan every member.
    readonly HashSet<string> _mobiles = new(StringComparer.Ordinal);
    readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _createCalls = new(StringComparer.Ordinal);
    readonly Dictionary<long, string> _placeholders = [];
    readonly Queue<int> _scriptedErrors = new();
    readonly Dictionary<int, int> _errorAnswers = [];
    int _getTokenCalls;

    public SimulatorState(IOptions<SimulatorOptions> options, TimeProvider time)
    {
        _time = time;
        var settings = options.Value;
        _tokenLifetimeSeconds = settings.TokenLifetimeSeconds;
        _secrets = settings.Corps.Count > 0 ? new(settings.Corps, StringComparer.Ordinal) : new(StringComparer.Ordinal) { ["ww-sim-corp"] = "sim-secret" };
        _departments = settings.Departments.Count > 0 ? [.. settings.Departments] : [.. Enumerable.Range(1, 10).Select(i => (long)i)];
        Faults = settings.Faults;
    }

    /// <summary>One member as created, keyed (per corp) by its userid ignoring case.</summary>
    public sealed record Member(string CorpId, string UserId, JsonObject Body, DateTimeOffset CreatedAt);

    public FaultSettings Faults { get; set; }

    public int GetTokenCalls => Volatile.Read(ref _getTokenCalls);

    public (int ErrCode, string? Token) IssueToken(string? corpId, string? secret)
    {
        Interlocked.Increment(ref _getTokenCalls);
        lock (_gate)
        {
            if (corpId is null || !_secrets.TryGetValue(corpId, out var expected))
                return (40013, null);
            if (secret != expected)
                return (40001, null);
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            _tokens[token] = (corpId, _time.GetUtcNow().AddSeconds(_tokenLifetimeSeconds));
            return (0, token);
        }
    }

    public int TokenLifetimeSeconds => _tokenLifetimeSeconds;

    /// <summary>0 and the corp for a live token; 41001 missing, 40014 unknown (or revoked), 42001 expired.</summary>
    public (int ErrCode, string? CorpId) CheckToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return (41001, null);
        lock (_gate)
        {
            if (!_tokens.TryGetValue(token, out var entry))
                return (40014, null);
            return entry.ExpiresAt <= _time.GetUtcNow() ? (42001, null) : (0, entry.CorpId);
        }
    }

    /// <summary>Revokes every token: the next business call gets 40014.</summary>
    public void RevokeTokens()
    {
        lock (_gate)
            _tokens.Clear();
    }

    /// <summary>Expires every token: the next business call gets 42001.</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Keys.ToList())
                _tokens[token] = (_tokens[token].CorpId, _time.GetUtcNow().AddSeconds(-1));
        }
    }

    public void SetSecret(string corpId, string secret)
    {
        lock (_gate)
            _secrets[corpId] = secret;
    }

    public void ScriptErrors(IEnumerable<int> errCodes)
    {
        lock (_gate)
        {
            foreach (var code in errCodes)
                _scriptedErrors.Enqueue(code);
        }
    }

    public int? NextScriptedError()
    {
        lock (_gate)
            return _scriptedErrors.TryDequeue(out var code) ? code : null;
    }

    public void CountCreateCall(string? userId)
    {
        lock (_gate)
        {
            var key = (userId ?? "").ToLowerInvariant();
            _createCalls[key] = _createCalls.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Creates a member under WeCom's server-side uniqueness rules; returns 0 and any placeholder departments made.</summary>
    public (int ErrCode, List<(long Id, string Name)> Placeholders) Create(string corpId, string userId, JsonObject body)
    {
        var mobile = (string?)body["mobile"];
        var email = (string?)body["email"];
        var placeholders = new List<(long, string)>();
        lock (_gate)
        {
            var key = Key(corpId, userId);
            if (_members.ContainsKey(key))
                return (60102, placeholders);
            var mobileKey = string.IsNullOrEmpty(mobile) ? null : corpId + "\n" + mobile;
            var emailKey = string.IsNullOrEmpty(email) ? null : corpId + "\n" + email.ToLowerInvariant();
            if (mobileKey is not null && _mobiles.Contains(mobileKey))
                return (60104, placeholders);
            if (emailKey is not null && _emails.Contains(emailKey))
                return (60106, placeholders);

            foreach (var node in body["department"] as JsonArray ?? [])
            {
                var id = node!.GetValue<long>();
                if (id != 0 && !_departments.Contains(id))
                {
                    var name = _placeholders.TryGetValue(id, out var existing) ? existing : $"待设置部门({id})";
                    _placeholders[id] = name;
                    _departments.Add(id);
                    placeholders.Add((id, name));
                }
            }
            _members[key] = new Member(corpId, userId, body, _time.GetUtcNow());
            if (mobileKey is not null)
                _mobiles.Add(mobileKey);
            if (emailKey is not null)
                _emails.Add(emailKey);
            return (0, placeholders);
        }
    }

    public Member? Find(string corpId, string userId)
    {
        lock (_gate)
            return _members.GetValueOrDefault(Key(corpId, userId));
    }

    public List<Member> Members(string? corpId = null)
    {
        lock (_gate)
            return [.. _members.Values.Where(m => corpId is null || m.CorpId == corpId).OrderBy(m => m.CreatedAt)];
    }

    /// <summary>Counts a user/create answered with an error (or an HTTP failure status), by code.</summary>
    public void CountErrorAnswer(int code)
    {
        lock (_gate)
            _errorAnswers[code] = _errorAnswers.GetValueOrDefault(code) + 1;
    }

    public Dictionary<int, int> ErrorAnswers()
    {
        lock (_gate)
            return new(_errorAnswers);
    }

    public Dictionary<string, int> CreateCalls()
    {
        lock (_gate)
            return new(_createCalls);
    }

    public void Reset()
    {
        lock (_gate)
        {
            _members.Clear();
            _mobiles.Clear();
            _emails.Clear();
            _createCalls.Clear();
            _scriptedErrors.Clear();
            _errorAnswers.Clear();
            _tokens.Clear();
        }
        Faults = new FaultSettings();
    }

    static string Key(string corpId, string userId) => corpId + "\n" + userId.ToLowerInvariant();
}
