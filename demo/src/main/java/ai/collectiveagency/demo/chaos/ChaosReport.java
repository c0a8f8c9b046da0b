package ai.collectiveagency.demo.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The end of {@code ./pipeline chaos}'s output: a table of where the tasks went and which
 * faults happened, then one JSON line with the figures a script checks.
 *
 * @param promptsTopic the full name of the prompts topic the tasks were written to
 */
record ChaosReport(String promptsTopic, Accounting accounting, FaultTally faults) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many lost task ids the table names. */
    private static final int LOST_SHOWN = 20;

    /** The run failed: a task lost or trained twice, or a fault not carried out. */
    boolean failed() {
        return accounting.lost() > 0 || accounting.trainedTwice() > 0
                || !faults.failures().isEmpty();
    }

    void print(PrintStream out) {
        Accounting a = accounting;
        out.println();
        out.printf("chaos: where the %d tasks written to %s went%n", a.tasks(), promptsTopic);
        row(out, "trained", a.trained(), "once each, per the trainer's ledger");
        row(out, "held out", a.heldOut(), "evaluated, never trained");
        row(out, "without signal", a.withoutSignal(), "rewards all equal: settled, not trained");
        row(out, "dead-lettered", a.deadLettered(), "on a DLQ with a reason");
        row(out, "in flight", a.inFlight(), "not yet consumed by: "
                + Drain.describe(a.inFlightByStage()));
        row(out, "lost", a.lost(), "consumed, and nothing left behind");
        out.println("  ------------------");
        row(out, "trained twice", a.trainedTwice(), "more than one trained ledger entry");
        row(out, "settled twice", a.settledTwice(),
                "trained, evaluated, settled or dead-lettered more than once");
        row(out, "skipped replays", a.duplicatesSkipped(),
                "groups the trainer recognised as already settled");
        row(out, "written twice", a.promptsWrittenTwice(),
                "task ids on " + promptsTopic + " more than once");
        row(out, "poison quarantined", a.poisonQuarantined(), "of " + a.poisonInjected()
                + " poison records injected, found on a DLQ");
        out.printf("  %-20s %s%n", "kills", faults.kills().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        row(out, "broker restarts", faults.brokerRestarts(), "");
        for (String failure : faults.failures()) {
            out.println("  fault not carried out: " + failure);
        }
        if (!a.lostIds().isEmpty()) {
            List<String> shown = a.lostIds().subList(0, Math.min(LOST_SHOWN, a.lostIds().size()));
            out.println("  lost: " + String.join(", ", shown)
                    + (a.lostIds().size() > shown.size() ? ", ..." : ""));
        }
        out.println(json());
    }

    /** The final line: the figures, in a fixed order. */
    String json() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("tasks", accounting.tasks());
        line.put("trained", accounting.trained());
        line.put("held_out", accounting.heldOut());
        line.put("no_signal", accounting.withoutSignal());
        line.put("dead_lettered", accounting.deadLettered());
        line.put("in_flight", accounting.inFlight());
        line.put("lost", accounting.lost());
        line.put("trained_twice", accounting.trainedTwice());
        line.put("kills", faults.kills());
        line.put("broker_restarts", faults.brokerRestarts());
        line.put("poison_quarantined", accounting.poisonQuarantined());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void row(PrintStream out, String name, int value, String note) {
        out.printf("  %-20s %6d  %s%n", name, value, note);
    }
}
