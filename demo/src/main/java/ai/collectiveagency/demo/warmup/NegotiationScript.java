package ai.collectiveagency.demo.warmup;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plays a task as a short scripted negotiation, from the lines of
 * {@code warmup/negotiation-script.json}: what the warm-up teaches a small model to say.
 *
 * <p>A opens; B accepts, listens or refuses; A then accepts, offers or refuses; B answers an offer
 * or a refusal. Whoever accepts ends the dialogue agreed (after 2, 3 or 4 turns), and A writes a
 * resolution drawn from the script's kinds (serving both sides, lopsided, one-sided) by their
 * weights. A dialogue nobody accepts within 4 turns fails, as it does in the rollout-service.
 */
public final class NegotiationScript {

    /** The most turns a scripted dialogue has: the demo's {@code rollout.max-turns}. */
    public static final int MAX_TURNS = 4;

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
        try (InputStream in = NegotiationScript.class.getResourceAsStream(
                "/warmup/negotiation-script.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, List<String>> lines = new HashMap<>();
            for (String kind : List.of("opening", "accept", "listen", "refuse", "offer")) {
                lines.put(kind, strings(root.path(kind)));
            }
            Map<String, List<String>> resolutions = new LinkedHashMap<>();
            root.path("resolutions").fields().forEachRemaining(e -> resolutions.put(e.getKey(),
                    strings(e.getValue())));
            Map<String, Double> weights = new LinkedHashMap<>();
            root.path("resolution_weights").fields().forEachRemaining(e -> weights.put(
                    e.getKey(), e.getValue().asDouble()));
            return new NegotiationScript(lines, resolutions, weights);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped negotiation script", e);
        }
    }

    /**
     * A scripted negotiation of {@code task}.
     *
     * @param turns the turns, A first, alternating
     * @param accepted whether the last turn accepts (the dialogue ended agreed)
     * @param resolution A's resolution when agreed, else null
     */
    public record Negotiation(List<String> turns, boolean accepted, String resolution) {

        /** Whether the turn at {@code index} accepts: only the last turn of an agreed one. */
        public boolean accepts(int index) {
            return accepted && index == turns.size() - 1;
        }
    }

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
    public String resolution(PromptTask task, Random random) {
        double u = random.nextDouble() * weights.values().stream().mapToDouble(w -> w).sum();
        String kind = null;
        for (var weight : weights.entrySet()) {
            kind = weight.getKey();
            u -= weight.getValue();
            if (u < 0) {
                break;
            }
        }
        return fill(pick(resolutions.get(kind), random), both(task));
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
        Map<String, String> values = new HashMap<>();
        values.put("name", self.getName());
        values.put("role", self.getRole());
        values.put("value", self.getValues().get(0));
        values.put("other_name", other.getName());
        values.put("other_role", other.getRole());
        values.put("other_value", other.getValues().get(0));
        return fill(pick(lines.get(kind), random), values);
    }

    private static Map<String, String> both(PromptTask task) {
        return Map.of("role_a", task.getPersonaA().getRole(),
                "value_a", task.getPersonaA().getValues().get(0),
                "role_b", task.getPersonaB().getRole(),
                "value_b", task.getPersonaB().getValues().get(0));
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

    private static String pick(List<String> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        if (out.isEmpty()) {
            throw new IllegalStateException("the negotiation script has an empty list");
        }
        return List.copyOf(out);
    }
}
