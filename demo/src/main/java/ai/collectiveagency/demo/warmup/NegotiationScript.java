package ai.collectiveagency.demo.warmup;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a task as a short scripted negotiation, from the lines of
 * {@code warmup/negotiation-script.json}: what the warm-up teaches a small model to say.
 *
 * <p>A opens; B accepts, listens or refuses; A then accepts, offers or refuses; B answers an offer
 * or a refusal. Whoever accepts ends the dialogue agreed (after 2, 3 or 4 turns), and A writes a
 * resolution drawn from the script's kinds (specific to both sides, lopsided, one-sided, generic)
 * by their weights. A dialogue nobody accepts within 4 turns fails, as it does in the
 * rollout-service. Each speaker's lines speak for its own values and goals.
 */
public final class NegotiationScript {

    /** The most turns a scripted dialogue has: the demo's {@code rollout.max-turns}. */
    public static final int MAX_TURNS = 4;

    private static final List<String> TURN_KINDS = List.of("opening", "accept", "listen",
            "refuse", "offer");
    /** The placeholders of a turn: the speaker's fields, then the other side's. */
    private static final Set<String> TURN_FIELDS = Set.of("name", "role", "value", "value2",
            "goal", "other_name", "other_role", "other_value", "other_goal");
    /** The placeholders of a resolution or answer: each persona's fields, suffixed _a or _b. */
    private static final Set<String> RESOLUTION_FIELDS = Set.of("name_a", "role_a", "value_a",
            "value2_a", "goal_a", "constraint_a", "name_b", "role_b", "value_b", "value2_b",
            "goal_b", "constraint_b");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final Map<String, List<String>> lines;
    private final Map<String, List<String>> resolutions;
    private final Map<String, Double> weights;

    private NegotiationScript(Map<String, List<String>> lines,
            Map<String, List<String>> resolutions, Map<String, Double> weights) {
        this.lines = lines;
        this.resolutions = resolutions;
        this.weights = weights;
    }

    /** The script shipped in the jar. */
    public static NegotiationScript shipped() {
        String resource = "/warmup/negotiation-script.json";
        try (InputStream in = NegotiationScript.class.getResourceAsStream(resource)) {
            return read(new ObjectMapper().readTree(in), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped negotiation script", e);
        }
    }

    /**
     * The script in {@code root}; a missing or empty list, a weight without templates (or the
     * reverse) or an unknown placeholder stops here, naming what is wrong in {@code source}.
     */
    static NegotiationScript read(JsonNode root, String source) {
        Map<String, List<String>> lines = new HashMap<>();
        for (String kind : TURN_KINDS) {
            lines.put(kind, templates(root.path(kind), source + " " + kind, TURN_FIELDS));
        }
        Map<String, List<String>> resolutions = new LinkedHashMap<>();
        root.path("resolutions").fields().forEachRemaining(e -> resolutions.put(e.getKey(),
                templates(e.getValue(), source + " resolutions." + e.getKey(),
                        RESOLUTION_FIELDS)));
        Map<String, Double> weights = new LinkedHashMap<>();
        root.path("resolution_weights").fields().forEachRemaining(e -> weights.put(
                e.getKey(), e.getValue().asDouble()));
        if (resolutions.isEmpty() || !resolutions.keySet().equals(weights.keySet())
                || weights.values().stream().anyMatch(w -> !(w > 0))) {
            throw new IllegalStateException(source + ": resolution_weights " + weights
                    + " must give each kind of resolutions " + resolutions.keySet()
                    + " a positive weight");
        }
        return new NegotiationScript(lines, resolutions, weights);
    }

    /** The kinds of resolution and their weights, in the script's order. */
    public Map<String, Double> resolutionWeights() {
        return Collections.unmodifiableMap(weights);
    }

    /**
     * A scripted negotiation of {@code task}.
     *
     * @param turns the turns, A first, alternating
     * @param accepted whether the last turn accepts (the dialogue ended agreed)
     * @param resolution A's resolution when agreed, else null
     */
    public record Negotiation(List<String> turns, boolean accepted, Resolution resolution) {

        /** Whether the turn at {@code index} accepts: only the last turn of an agreed one. */
        public boolean accepts(int index) {
            return accepted && index == turns.size() - 1;
        }
    }

    /**
     * A resolution or single-agent answer.
     *
     * @param kind the script's kind it was drawn from, such as {@code specific}
     * @param text what the model learns to write
     */
    public record Resolution(String kind, String text) {}

    /** Plays {@code task} with the choices drawn from {@code random}. */
    public Negotiation play(PromptTask task, Random random) {
        List<String> turns = new ArrayList<>();
        turns.add(line("opening", task, true, random));
        String previous = "opening";
        while (turns.size() < MAX_TURNS) {
            boolean speakerIsA = turns.size() % 2 == 0;
            String kind = reply(previous, turns.size(), random);
            turns.add(line(kind, task, speakerIsA, random));
            if (kind.equals("accept")) {
                return new Negotiation(turns, true, resolution(task, random));
            }
            previous = kind;
        }
        return new Negotiation(turns, false, null);
    }

    /** A resolution (or single-agent answer) of {@code task}, its kind drawn by weight. */
    public Resolution resolution(PromptTask task, Random random) {
        double u = random.nextDouble() * weights.values().stream().mapToDouble(w -> w).sum();
        String kind = null;
        for (var weight : weights.entrySet()) {
            kind = weight.getKey();
            u -= weight.getValue();
            if (u < 0) {
                break;
            }
        }
        String template = pick(resolutions.get(kind), random);
        return new Resolution(kind, fill(template, both(task, random)));
    }

    /** How the next speaker answers {@code previous}, the dialogue having {@code turns} turns. */
    private static String reply(String previous, int turns, Random random) {
        double u = random.nextDouble();
        if (turns == MAX_TURNS - 1) { // B's last word: an offer is usually taken
            return u < (previous.equals("offer") ? 0.7 : 0.3) ? "accept" : "refuse";
        }
        return switch (previous) {
            case "opening" -> u < 0.4 ? "accept" : u < 0.8 ? "listen" : "refuse";
            case "listen" -> u < 0.5 ? "accept" : u < 0.85 ? "offer" : "refuse";
            default -> u < 0.2 ? "accept" : u < 0.7 ? "offer" : "refuse";
        };
    }

    private String line(String kind, PromptTask task, boolean speakerIsA, Random random) {
        Persona self = speakerIsA ? task.getPersonaA() : task.getPersonaB();
        Persona other = speakerIsA ? task.getPersonaB() : task.getPersonaA();
        String template = pick(lines.get(kind), random);
        Map<String, String> values = new HashMap<>();
        values.put("name", self.getName());
        values.put("role", self.getRole());
        values.put("value", self.getValues().get(0));
        values.put("value2", secondValue(self));
        values.put("goal", goal(self, random));
        values.put("other_name", other.getName());
        values.put("other_role", other.getRole());
        values.put("other_value", other.getValues().get(0));
        values.put("other_goal", goal(other, random));
        return fill(template, values);
    }

    /** Both personas' fields, one goal and one constraint of each drawn from {@code random}. */
    private static Map<String, String> both(PromptTask task, Random random) {
        Map<String, String> values = new HashMap<>();
        Persona a = task.getPersonaA();
        Persona b = task.getPersonaB();
        String constraintA = constraint(a, null, random);
        // The scenario's shared constraint is on both lists: name it once, not twice.
        String constraintB = constraint(b, constraintA, random);
        for (var side : List.of(Map.entry("_a", a), Map.entry("_b", b))) {
            Persona persona = side.getValue();
            values.put("name" + side.getKey(), persona.getName());
            values.put("role" + side.getKey(), persona.getRole());
            values.put("value" + side.getKey(), persona.getValues().get(0));
            values.put("value2" + side.getKey(), secondValue(persona));
            values.put("goal" + side.getKey(), goal(persona, random));
        }
        values.put("constraint_a", constraintA);
        values.put("constraint_b", constraintB);
        return values;
    }

    /** The persona's next value after its side of the conflict (the same when it has one). */
    private static String secondValue(Persona persona) {
        List<String> values = persona.getValues();
        return values.size() > 1 ? values.get(1) : values.get(0);
    }

    /** One of the persona's goals; its side of the conflict when it states none. */
    private static String goal(Persona persona, Random random) {
        return persona.getGoals().isEmpty() ? persona.getValues().get(0)
                : pick(persona.getGoals(), random);
    }

    /** One of the persona's constraints other than {@code avoid} where it has another. */
    private static String constraint(Persona persona, String avoid, Random random) {
        List<String> options = persona.getConstraints().stream()
                .filter(c -> !c.equals(avoid)).toList();
        if (options.isEmpty()) {
            options = persona.getConstraints().isEmpty() ? persona.getGoals()
                    : persona.getConstraints();
        }
        return options.isEmpty() ? persona.getValues().get(0) : pick(options, random);
    }

    /** Fills {@code {key}} with the value and {@code {Key}} with it capitalised. */
    static String fill(String template, Map<String, String> values) {
        String text = template;
        for (var value : values.entrySet()) {
            String key = value.getKey();
            String capitalisedKey = Character.toUpperCase(key.charAt(0)) + key.substring(1);
            String v = value.getValue();
            text = text.replace("{" + key + "}", v).replace("{" + capitalisedKey + "}",
                    v.isEmpty() ? v : Character.toUpperCase(v.charAt(0)) + v.substring(1));
        }
        return text;
    }

    private static <T> T pick(List<T> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }

    /** The templates of {@code array}, each using only {@code fields} as placeholders. */
    private static List<String> templates(JsonNode array, String where, Set<String> fields) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        if (out.isEmpty()) {
            throw new IllegalStateException(where + ": no templates");
        }
        for (String template : out) {
            Matcher placeholder = PLACEHOLDER.matcher(template);
            while (placeholder.find()) {
                String key = placeholder.group(1);
                String field = Character.toLowerCase(key.charAt(0)) + key.substring(1);
                if (!fields.contains(field)) {
                    throw new IllegalStateException(where + ": unknown placeholder {" + key
                            + "} in \"" + template + "\"; known: " + new TreeSet<>(fields));
                }
            }
        }
        return List.copyOf(out);
    }
}
