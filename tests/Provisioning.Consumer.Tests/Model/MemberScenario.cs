using CsCheck;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Tests.Model;

/// <summary>
/// A random history of a few people: each is hired (a create published first), then moved, disabled and enabled in a
/// random order whose versions need not follow it, some commands published twice, everyone's commands interleaved.
/// </summary>
internal sealed record MemberScenario(IReadOnlyList<MemberScenario.Person> People, IReadOnlyList<(int Person, int Command)> Order)
{
    /// <summary>One command after the hire: its kind (0 move, 1 move and enable/disable, 2 enable/disable by update, 3 disable, 4 enable).</summary>
    public sealed record Step(int Kind, int Position, bool Enable, int VersionKey, bool Twice, int Slot);

    /// <summary>Versioned: commands carry versions (ranked by <see cref="Step.VersionKey"/>); else they are ordered by send time.</summary>
    public sealed record Person(string UserId, bool Versioned, IReadOnlyList<Step> Steps, IReadOnlyList<object> Commands)
    {
        /// <summary>What WeCom must hold at the end: per aspect, the newest command that sets it.</summary>
        public (bool Enabled, string Position) Expected()
        {
            // Index 0 is the hire; by version, or else by the order they were sent (their index, published in order).
            var rank = Versioned ? Commands.Select(Version).ToList() : Commands.Select((_, i) => (long)i).ToList();
            var state = (Rank: rank[0], Enabled: true);
            var profile = (Rank: rank[0], Position: Position(0));
            for (var i = 1; i < Commands.Count; i++)
            {
                var (enable, position) = Sets(Commands[i]);
                if (enable is { } value && rank[i] > state.Rank)
                    state = (rank[i], value);
                if (position is not null && rank[i] > profile.Rank)
                    profile = (rank[i], position);
            }
            return (state.Enabled, profile.Position);
        }

        static long Version(object command) => command switch
        {
            CreateMember c => c.Version!.Value,
            UpdateMember u => u.Version!.Value,
            DisableMember d => d.Version!.Value,
            EnableMember e => e.Version!.Value,
            _ => throw new InvalidOperationException(),
        };

        static (bool? Enable, string? Position) Sets(object command) => command switch
        {
            UpdateMember u => (u.Enable, u.Position),
            DisableMember => (false, null),
            EnableMember => (true, null),
            _ => throw new InvalidOperationException(),
        };
    }

    public static string Position(int n) => $"岗位{n}";

    static readonly Gen<Step> GenStep = Gen.Select(Gen.Int[0, 4], Gen.Int[1, 4], Gen.Bool, Gen.Int[0, 1_000_000], Gen.Int[0, 9], Gen.Int[0, 1_000_000],
        (kind, position, enable, versionKey, twice, slot) => new Step(kind, position, enable, versionKey, twice < 3, slot));

    public static readonly Gen<MemberScenario> Generator = Gen.Select(GenStep.Array[1, 6], Gen.Bool, Gen.Int[0, 1_000_000], (steps, versioned, hireSlot) => (steps, versioned, hireSlot))
        .Array[2, 4]
        .Select(people => Build(people));

    static MemberScenario Build((Step[] Steps, bool Versioned, int HireSlot)[] people)
    {
        var built = new List<Person>();
        var queue = new List<(int Slot, int Person, int Command)>();
        for (var p = 0; p < people.Length; p++)
        {
            var (steps, versioned, hireSlot) = people[p];
            var userId = $"m{p}-{Guid.NewGuid():N}"[..12];
            // Versions 2.. by each step's random key: the order they are published in says nothing about them.
            var versions = steps.Select((step, i) => (step.VersionKey, i)).OrderBy(x => x).Select((x, rank) => (x.i, Version: rank + 2L))
                .ToDictionary(x => x.i, x => x.Version);
            var commands = new List<object> { new CreateMember
            {
                RequestId = Guid.NewGuid(), UserId = userId, Name = "模型", Mobile = $"1390000{p:D4}", Departments = [new() { Id = 1 }],
                Position = Position(0), Version = versioned ? 1 : null,
            } };
            commands.AddRange(steps.Select((step, i) => Command(step, userId, versioned ? versions[i] : null)));
            built.Add(new Person(userId, versioned, steps, commands));

            // The hire first, then the person's steps in their order; the people interleaved by their slots. A step published
            // twice (versioned people only: a re-sent unversioned command is sent anew, later) again at its person's end.
            var slot = hireSlot;
            queue.Add((slot, p, 0));
            for (var i = 0; i < steps.Length; i++)
            {
                slot = Math.Max(slot, steps[i].Slot) + 1;
                queue.Add((slot, p, i + 1));
            }
            foreach (var (step, i) in steps.Select((step, i) => (step, i)).Where(x => x.step.Twice && versioned))
                queue.Add((++slot, p, i + 1));
        }
        // A stable merge: each person's own order is kept.
        var order = queue.Select((item, index) => (item, index)).OrderBy(x => x.item.Slot).ThenBy(x => x.index).Select(x => (x.item.Person, x.item.Command)).ToList();
        return new MemberScenario(built, order);
    }

    static object Command(Step step, string userId, long? version) => step.Kind switch
    {
        0 => new UpdateMember { RequestId = Guid.NewGuid(), UserId = userId, Position = Position(step.Position), Version = version },
        1 => new UpdateMember { RequestId = Guid.NewGuid(), UserId = userId, Position = Position(step.Position), Enable = step.Enable, Version = version },
        2 => new UpdateMember { RequestId = Guid.NewGuid(), UserId = userId, Enable = step.Enable, Version = version },
        3 => new DisableMember { RequestId = Guid.NewGuid(), UserId = userId, Version = version },
        _ => new EnableMember { RequestId = Guid.NewGuid(), UserId = userId, Version = version },
    };

    public override string ToString() => string.Join(" | ", People.Select((person, p) =>
        $"{person.UserId}{(person.Versioned ? "" : " (by send time)")}: " + string.Join(", ", Order.Where(o => o.Person == p).Select(o => Describe(person.Commands[o.Command])))));

    static string Describe(object command) => command switch
    {
        CreateMember c => $"create v{c.Version}",
        UpdateMember u => $"update{(u.Position is null ? "" : " " + u.Position)}{(u.Enable is null ? "" : u.Enable.Value ? " enable" : " disable")} v{u.Version}",
        DisableMember d => $"disable v{d.Version}",
        EnableMember e => $"enable v{e.Version}",
        _ => command.GetType().Name,
    };
}
