package ai.collectiveagency.prompts.combinatorial;

import ai.collectiveagency.prompts.seeds.Archetype;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.ValueConflict;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Draws {@link PromptTask}s from {@link SeedLists}: a domain, a value conflict, a place and a
 * scenario template make the dilemma; two different archetypes and names make the personas,
 * persona A holding one side of the conflict and persona B the other (first in their values),
 * each with the scenario's shared constraint plus one of their own.
 *
 * <p>Task {@code i} of a run depends only on the seed lists, the config and {@code i}: its
 * random draws come from {@code SplittableRandom(mix(seed, i))}, its id is
 * {@code comb-<seed hex>-<i>}, held-out is decided by {@link HeldOutSplit} on the id.
 *
 * <pre>{@code
 * var source = new CombinatorialSource(SeedLists.shipped(), CombinatorialConfig.defaults(7, now));
 * List<PromptTask> tasks = source.tasks(100).toList();
 * }</pre>
 */
public final class CombinatorialSource {

    /** Provenance version; bump it when the drawing or the shipped lists change. */
    public static final String GENERATOR_VERSION = "combinatorial-v1";

    private final SeedLists lists;
    private final CombinatorialConfig config;
    private final HeldOutSplit heldOut;

    public CombinatorialSource(SeedLists lists, CombinatorialConfig config) {
        this.lists = Objects.requireNonNull(lists, "lists");
        this.config = Objects.requireNonNull(config, "config");
        this.heldOut = new HeldOutSplit(config.heldOutShare());
    }

    /** Tasks 0 to {@code count - 1} of the run, in order. */
    public Stream<PromptTask> tasks(long count) {
        return LongStream.range(0, count).mapToObj(this::task);
    }

    /** Task {@code index} of the run. */
    public PromptTask task(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        long taskSeed = Mix.mix64(config.seed() * 0x9e3779b97f4a7c15L + index);
        SplittableRandom rng = new SplittableRandom(taskSeed);
        String id = "comb-" + Long.toHexString(config.seed()) + "-" + index;
        TaskMode mode = rng.nextDouble() < config.negotiationShare()
                ? TaskMode.NEGOTIATION : TaskMode.SINGLE;
        Draw draw = draw(rng);
        return PromptTask.newBuilder()
                .setTaskId(id)
                .setCreatedAt(config.createdAt())
                .setMode(mode)
                .setScenario(scenario(draw, rng))
                .setPersonaA(persona(draw.names[0], draw.roles[0], draw.sides[0], draw, 0))
                .setPersonaB(persona(draw.names[1], draw.roles[1], draw.sides[1], draw, 1))
                .setSeed(taskSeed)
                .setProvenance(new Provenance(ProvenanceSource.COMBINATORIAL, GENERATOR_VERSION,
                        null))
                .setHeldOut(heldOut.isHeldOut(id))
                .setLanguage("en")
                .setTags(List.of("domain:" + draw.domain, "conflict:" + conflictLabel(draw)))
                .build();
    }

    private Draw draw(SplittableRandom rng) {
        ValueConflict conflict = pick(lists.conflicts(), rng);
        boolean flip = rng.nextBoolean();
        String[] sides = flip
                ? new String[] {conflict.right(), conflict.left()}
                : new String[] {conflict.left(), conflict.right()};
        int[] roles = twoDistinct(lists.archetypes().size(), rng);
        int[] names = twoDistinct(lists.names().size(), rng);
        int shared = rng.nextInt(lists.constraints().size());
        int[] own = twoOthers(lists.constraints().size(), shared, rng);
        return new Draw(pick(lists.domains(), rng), sides,
                new Archetype[] {
                    lists.archetypes().get(roles[0]), lists.archetypes().get(roles[1])},
                new String[] {lists.names().get(names[0]), lists.names().get(names[1])},
                lists.constraints().get(shared),
                new String[] {lists.constraints().get(own[0]), lists.constraints().get(own[1])});
    }

    private Scenario scenario(Draw draw, SplittableRandom rng) {
        String description = pick(lists.templates(), rng).fill(Map.of(
                "domain", draw.domain,
                "place", pick(lists.places(), rng),
                "valueA", draw.sides[0],
                "valueB", draw.sides[1],
                "roleA", draw.roles[0].role(),
                "roleB", draw.roles[1].role(),
                "constraint", draw.sharedConstraint));
        String title = capitalise(draw.domain) + ": " + conflictLabel(draw);
        return new Scenario(title, capitalise(description), draw.domain, conflictLabel(draw));
    }

    private static Persona persona(String name, Archetype role, String side, Draw draw, int who) {
        List<String> values = new ArrayList<>();
        values.add(side);
        role.values().stream().filter(v -> !v.equals(draw.sides[1 - who])
                && !v.equals(side)).forEach(values::add);
        List<String> constraints = draw.ownConstraints[who].equals(draw.sharedConstraint)
                ? List.of(draw.sharedConstraint)
                : List.of(draw.sharedConstraint, draw.ownConstraints[who]);
        return new Persona(name, role.role(), values, role.goals(), constraints);
    }

    private static String conflictLabel(Draw draw) {
        return draw.sides[0] + " vs. " + draw.sides[1];
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static <T> T pick(List<T> list, SplittableRandom rng) {
        return list.get(rng.nextInt(list.size()));
    }

    private static int[] twoDistinct(int size, SplittableRandom rng) {
        int first = rng.nextInt(size);
        int second = (first + 1 + rng.nextInt(size - 1)) % size;
        return new int[] {first, second};
    }

    /** Two indices other than {@code taken} (equal only when the list has two entries). */
    private static int[] twoOthers(int size, int taken, SplittableRandom rng) {
        if (size == 2) {
            return new int[] {1 - taken, 1 - taken};
        }
        int[] pair = twoDistinct(size - 1, rng);
        return new int[] {skip(pair[0], taken), skip(pair[1], taken)};
    }

    private static int skip(int index, int taken) {
        return index >= taken ? index + 1 : index;
    }

    /** One task's draws from the lists; index 0 is persona A, 1 persona B. */
    private record Draw(String domain, String[] sides, Archetype[] roles, String[] names,
            String sharedConstraint, String[] ownConstraints) {
    }
}
