using Tidings.Storage;

namespace Tidings.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task The_profile_generation_moves_on_after_a_unit_that_may_change_profiles_and_only_then()
    {
        var first = await Storage.WriteAsync(w => Task.FromResult(w.ProfileGeneration), Ct);
        var untouched = await Storage.WriteAsync(w =>
        {
            w.LeavesProfilesAlone();
            return Task.FromResult(w.ProfileGeneration);
        }, Ct);
        var next = await Storage.WriteAsync(w => Task.FromResult(w.ProfileGeneration), Ct);
        await Should.ThrowAsync<InvalidOperationException>(() => Storage.WriteAsync<long?>(_ => throw new InvalidOperationException("fails"), Ct));
        var afterFailure = await Storage.WriteAsync(w => Task.FromResult(w.ProfileGeneration), Ct);

        if (Storage.Dialect.Provider == StorageProvider.Postgres)
        {
            // Concurrent transactions and other nodes: the store cannot vouch for anything derived from profiles.
            new[] { first, untouched, next, afterFailure }.ShouldAllBe(g => g == null);
            return;
        }

        // Other tests share the store and may write in between, so the generation only ever moves forward.
        untouched.ShouldNotBeNull();
        untouched.Value.ShouldBeGreaterThan(first!.Value);
        next!.Value.ShouldBeGreaterThanOrEqualTo(untouched.Value);
        afterFailure!.Value.ShouldBeGreaterThan(next.Value);
    }
}
