using Npgsql;
using Provisioning.Storage;

namespace Provisioning.Consumer.Tests.Storage;

/// <summary>The PostgreSQL store's connection defaults: a small pool and prepared statements, unless the connection string says otherwise.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void WithoutPoolSettings_ASmallPoolAndPreparedStatements()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresRequestLedger.WithDefaults("Host=db;Username=u;Password=p;Database=d"));

        Assert.Equal(PostgresRequestLedger.DefaultMaxPoolSize, builder.MaxPoolSize);
        Assert.Equal(PostgresRequestLedger.DefaultMaxAutoPrepare, builder.MaxAutoPrepare);
        Assert.Equal("p", builder.Password);
        Assert.Equal("d", builder.Database);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=150;Max Auto Prepare=0", 150, 0)]
    [InlineData("Host=db;maximum pool size=7;maxautoprepare=3", 7, 3)]
    [InlineData("Host=db;MaxPoolSize=300", 300, PostgresRequestLedger.DefaultMaxAutoPrepare)]
    public void WhatTheConnectionStringSays_IsKept(string connectionString, int pool, int prepared)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresRequestLedger.WithDefaults(connectionString));

        Assert.Equal(pool, builder.MaxPoolSize);
        Assert.Equal(prepared, builder.MaxAutoPrepare);
    }

    [Fact]
    public void AMinimumPoolAboveTheDefault_RaisesTheMaximumWithIt()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresRequestLedger.WithDefaults("Host=db;Minimum Pool Size=30"));

        Assert.Equal(30, builder.MaxPoolSize);
    }
}
