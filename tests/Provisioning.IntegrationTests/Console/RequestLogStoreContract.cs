using System.Globalization;
using Provisioning.Storage.RequestLog;

namespace Provisioning.IntegrationTests.Console;

/// <summary>The provisioning log's queries, the same on SQLite and PostgreSQL (one SQL for both).</summary>
public abstract class RequestLogStoreContract : IAsyncLifetime
{
    internal RequestLogStore Store { get; private set; } = null!;

    static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    internal abstract Task<RequestLogStore> CreateStoreAsync();

    protected abstract Task DisposeStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    static RequestEvent Step(Guid id, string user, string kind, DateTimeOffset at, string corp = "ww-a", string operation = "create") =>
        new(id, corp, user, operation, kind, at);

    async Task<(Guid Created, Guid Conflict, Guid Exhausted, Guid Other)> SeedAsync()
    {
        Guid created = Guid.NewGuid(), conflict = Guid.NewGuid(), exhausted = Guid.NewGuid(), other = Guid.NewGuid();
        await Store.WriteAsync(
        [
            Step(created, "ZhangSan", RequestEventKinds.Received, T0) with { Person = new PersonSnapshot("张三", "138****8000", "z***@example.com") },
            Step(created, "ZhangSan", RequestEventKinds.Succeeded, T0.AddSeconds(1)) with { Attempts = 1, Outcome = "MemberCreated", Detail = "applied" },
            Step(conflict, "zhangsi", RequestEventKinds.Received, T0.AddMinutes(1)),
            Step(conflict, "zhangsi", RequestEventKinds.Failed, T0.AddMinutes(1).AddSeconds(1)) with
                { Attempts = 1, Reason = "Conflict", ErrCode = 60104, Detail = "errcode 60104: mobile existed" },
            Step(exhausted, "lisi", RequestEventKinds.Received, T0.AddMinutes(2)),
            Step(exhausted, "lisi", RequestEventKinds.Parked, T0.AddMinutes(2).AddSeconds(1)) with { Tier = 1, Attempts = 3, Detail = "parked" },
            Step(exhausted, "lisi", RequestEventKinds.Received, T0.AddMinutes(3)),
            Step(exhausted, "lisi", RequestEventKinds.DeadLettered, T0.AddMinutes(3).AddSeconds(1)) with { Attempts = 6, Reason = "RetriesExhausted", ErrCode = -1 },
            Step(other, "zhang_san", RequestEventKinds.Received, T0.AddHours(2), corp: "ww-b", operation: "disable"),
        ], CancellationToken.None);
        return (created, conflict, exhausted, other);
    }

    [Fact]
    public async Task Get_ReturnsTheRequestAndItsStepsInOrder()
    {
        var (_, _, exhausted, _) = await SeedAsync();

        var detail = await Store.GetAsync(exhausted, CancellationToken.None);

        Assert.NotNull(detail);
        var entry = detail.Request;
        Assert.Equal((RequestStatuses.DeadLettered, 2, 6, 1), (entry.Status, entry.Deliveries, entry.Attempts, entry.ParkingTier));
        Assert.Equal(T0.AddMinutes(2), entry.ReceivedAt);
        Assert.Equal(T0.AddMinutes(3).AddSeconds(1), entry.DeadLetteredAt);
        Assert.Equal(("RetriesExhausted", -1), (entry.Reason, entry.ErrCode));
        Assert.Equal([RequestEventKinds.Received, RequestEventKinds.Parked, RequestEventKinds.Received, RequestEventKinds.DeadLettered], detail.Steps.Select(s => s.Kind));
        Assert.Null(await Store.GetAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task AnEndedRequest_KeepsItsOutcomeWhenADuplicateArrives()
    {
        var (created, _, _, _) = await SeedAsync();

        await Store.WriteAsync([Step(created, "ZhangSan", RequestEventKinds.Received, T0.AddMinutes(5)), Step(created, "ZhangSan", RequestEventKinds.Duplicate, T0.AddMinutes(5))],
            CancellationToken.None);

        var entry = (await Store.GetAsync(created, CancellationToken.None))!.Request;
        Assert.Equal((RequestStatuses.Succeeded, 2, "张三", "138****8000"), (entry.Status, entry.Deliveries, entry.Name, entry.Mobile));
    }

    [Fact]
    public async Task List_FiltersByEveryField()
    {
        var (created, conflict, exhausted, other) = await SeedAsync();

        async Task<Guid[]> Ids(RequestQuery query) => [.. (await Store.ListAsync(query, CancellationToken.None)).Items.Select(i => i.RequestId)];

        Assert.Equal([other, exhausted, conflict, created], await Ids(new RequestQuery()));
        Assert.Equal([conflict], await Ids(new RequestQuery { Status = RequestStatuses.Failed }));
        Assert.Equal([conflict], await Ids(new RequestQuery { Reason = "Conflict", ErrCode = 60104 }));
        Assert.Empty(await Ids(new RequestQuery { Reason = "Conflict", ErrCode = 60102 }));
        Assert.Equal([other], await Ids(new RequestQuery { CorpId = "ww-b" }));
        Assert.Equal([other], await Ids(new RequestQuery { Operation = "disable" }));
        // A prefix ignores case, and "_" is a letter there, not a wildcard.
        Assert.Equal([conflict, created], await Ids(new RequestQuery { UserIdPrefix = "ZHANGS" }));
        Assert.Equal([other], await Ids(new RequestQuery { UserIdPrefix = "zhang_" }));
        Assert.Equal([exhausted, conflict], await Ids(new RequestQuery { From = T0.AddMinutes(1), To = T0.AddHours(1) }));
    }

    [Fact]
    public async Task List_PagesNewestFirstWithTheTotal()
    {
        var (created, conflict, exhausted, other) = await SeedAsync();

        var first = await Store.ListAsync(new RequestQuery { PageSize = 3 }, CancellationToken.None);
        var second = await Store.ListAsync(new RequestQuery { PageSize = 3, Page = 2 }, CancellationToken.None);

        Assert.Equal(4, first.Total);
        Assert.Equal([other, exhausted, conflict], first.Items.Select(i => i.RequestId));
        Assert.Equal([created], second.Items.Select(i => i.RequestId));
    }

    [Fact]
    public async Task Failures_AreCountedByReasonPerBucket()
    {
        await SeedAsync();

        var counts = await Store.FailuresAsync(T0, T0.AddHours(3), TimeSpan.FromHours(1), null, CancellationToken.None);

        Assert.Equal([new FailureCount(T0, "Conflict", 1), new FailureCount(T0, "RetriesExhausted", 1)], counts);
        Assert.Empty(await Store.FailuresAsync(T0, T0.AddHours(3), TimeSpan.FromHours(1), "ww-b", CancellationToken.None));
    }

    [Fact]
    public async Task History_IsEveryRequestOfOnePersonIgnoringCase()
    {
        var (created, _, _, _) = await SeedAsync();

        Assert.Equal([created], (await Store.HistoryAsync("ww-a", "zhangsan", 10, CancellationToken.None)).Select(h => h.RequestId));
        Assert.Empty(await Store.HistoryAsync("ww-b", "zhangsan", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Purge_DeletesRequestsUnchangedSinceTheCutOffWithTheirStepsAndAudit()
    {
        var (created, _, _, other) = await SeedAsync();
        await Store.AuditAsync(new AuditEntry(T0, "alice", "operator", "replay", created.ToString(), "moved 1 of 1", "127.0.0.1"), CancellationToken.None);
        await Store.AuditAsync(new AuditEntry(T0.AddHours(3), "bob", "operator", "release", other.ToString(), "moved 0 of 1", null), CancellationToken.None);

        var deleted = await Store.PurgeAsync(T0.AddHours(1), CancellationToken.None);

        Assert.Equal(3, deleted);
        Assert.Equal([other], (await Store.ListAsync(new RequestQuery(), CancellationToken.None)).Items.Select(i => i.RequestId));
        Assert.Null(await Store.GetAsync(created, CancellationToken.None));
        Assert.Equal(["bob"], (await Store.AuditTrailAsync(10, CancellationToken.None)).Select(a => a.Actor));
    }

    /// <summary>Issue 20: hostile values are kept bounded, with their length and a hash, not whole.</summary>
    [Fact]
    public async Task HostileValues_AreStoredBounded_WithTheirLengthAndAHash()
    {
        var id = Guid.NewGuid();
        var userId = new string('u', 250_000);
        await Store.WriteAsync(
        [
            Step(id, userId, RequestEventKinds.Received, T0) with { Person = new PersonSnapshot(new string('名', 5_000), null, null) },
            Step(id, userId, RequestEventKinds.Failed, T0.AddSeconds(1)) with { Reason = "Invalid", Detail = new string('d', 100_000) },
        ], CancellationToken.None);
        var replayed = string.Join(",", Enumerable.Repeat(Guid.Empty, 20_000));
        await Store.AuditAsync(new AuditEntry(T0, "alice", "operator", "replay", replayed, "moved 0 of 20000", null), CancellationToken.None);

        var detail = await Store.GetAsync(id, CancellationToken.None);
        Assert.NotNull(detail);
        Assert.InRange(detail.Request.UserId.Length, 1, BoundedText.Id);
        Assert.Contains("250,000 characters, sha256 ", detail.Request.UserId, StringComparison.Ordinal);
        Assert.InRange(detail.Request.Name!.Length, 1, BoundedText.Id);
        Assert.InRange(detail.Request.Message!.Length, 1, BoundedText.Text);
        Assert.All(detail.Steps, step => Assert.InRange(step.Detail?.Length ?? 0, 0, BoundedText.Text));
        var audit = Assert.Single(await Store.AuditTrailAsync(10, CancellationToken.None));
        Assert.InRange(audit.Target.Length, 1, BoundedText.Text);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{replayed.Length:N0} characters"), audit.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndedSessions_AreKnownUntilPurged_AndEndingOneTwiceIsOneEnd()
    {
        await Store.EndSessionAsync("old", T0, CancellationToken.None);
        await Store.EndSessionAsync("new", T0.AddHours(3), CancellationToken.None);
        await Store.EndSessionAsync("new", T0.AddHours(4), CancellationToken.None);

        Assert.True(await Store.IsSessionEndedAsync("old", CancellationToken.None));
        Assert.True(await Store.IsSessionEndedAsync("new", CancellationToken.None));
        Assert.False(await Store.IsSessionEndedAsync("never-signed-out", CancellationToken.None));

        await Store.PurgeAsync(T0.AddHours(1), CancellationToken.None);

        Assert.False(await Store.IsSessionEndedAsync("old", CancellationToken.None));
        Assert.True(await Store.IsSessionEndedAsync("new", CancellationToken.None));
    }
}

public sealed class SqliteRequestLogStoreTests : RequestLogStoreContract
{
    readonly string _path = Path.Combine(Path.GetTempPath(), $"request-log-{Guid.NewGuid():N}.db");
    RequestLogStore? _store;

    internal override Task<RequestLogStore> CreateStoreAsync() => Task.FromResult(_store = RequestLogStore.Sqlite(_path));

    protected override async Task DisposeStoreAsync()
    {
        await _store!.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*"))
            File.Delete(file);
    }
}

public sealed class PostgresRequestLogStoreTests : RequestLogStoreContract
{
    Infrastructure.TestPostgres _database = null!;
    RequestLogStore? _store;

    internal override async Task<RequestLogStore> CreateStoreAsync()
    {
        _database = await Infrastructure.TestPostgres.CreateAsync();
        return _store = RequestLogStore.Postgres(_database.ConnectionString);
    }

    protected override async Task DisposeStoreAsync()
    {
        await _store!.DisposeAsync();
        await _database.DisposeAsync();
    }
}
