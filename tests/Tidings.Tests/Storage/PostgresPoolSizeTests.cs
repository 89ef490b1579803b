using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.Tests.Storage;

/// <summary>
/// Each node's PostgreSQL pool is <c>Storage:PostgresPoolSize</c> connections unless the connection string names
/// <c>Maximum Pool Size</c> itself; the streaming pool must fit inside it.
/// </summary>
public sealed class PostgresPoolSizeTests
{
    private const string Server = "Host=127.0.0.1;Database=tidings;Username=tidings";

    [Fact]
    public void The_setting_sizes_the_pool_when_the_connection_string_names_no_size()
    {
        var pool = PostgresStorage.DataSource(new StorageOptions { PostgresConnectionString = Server, PostgresPoolSize = 12 });
        pool.ConnectionStringBuilder.MaxPoolSize.ShouldBe(12);
        new StorageOptions().PostgresPoolSize.ShouldBe(50, "the documented default");
    }

    [Theory]
    [InlineData("Maximum Pool Size=7")]
    [InlineData("maxpoolsize=7")]
    public void A_size_in_the_connection_string_wins(string size)
    {
        var pool = PostgresStorage.DataSource(new StorageOptions { PostgresConnectionString = Server + ";" + size, PostgresPoolSize = 12 });
        pool.ConnectionStringBuilder.MaxPoolSize.ShouldBe(7);
    }

    [Fact]
    public void A_streaming_pool_as_large_as_the_whole_pool_is_refused_at_start()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.AddStorage();
        // After the section is bound (the test's appsettings.json says SQLite).
        builder.Services.PostConfigure<StorageOptions>(o =>
        {
            o.Provider = StorageProvider.Postgres;
            o.PostgresConnectionString = Server;
            o.PostgresPoolSize = 4;
            o.StreamingReadConnections = 4;
        });
        using var provider = builder.Services.BuildServiceProvider();
        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);
        error.Message.ShouldContain("Storage:StreamingReadConnections must be below Storage:PostgresPoolSize");
    }

    [Fact]
    public void A_pool_of_fewer_than_two_connections_is_out_of_range()
    {
        var options = new StorageOptions { PostgresPoolSize = 1 };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).ShouldBeFalse();
        results.ShouldContain(r => r.MemberNames.Contains(nameof(StorageOptions.PostgresPoolSize)));
    }
}
