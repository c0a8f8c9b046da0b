package ai.collectiveagency.demo.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code ./pipeline dlq list} shows dead letters: a table for people, or one JSON object
 * per line for scripts (every field, the reason and cause in full).
 */
final class DeadLetterListing {

    private static final String ROW = "%-4s %-8s %-24s %-48s %-36s %10s  %s%n";
    /** The table's reason column; the JSON lines carry it whole. */
    private static final int REASON_WIDTH = 48;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterListing() {
    }

    static void table(List<DeadLetter> letters, String dlqTopic, PrintStream out) {
        if (letters.isEmpty()) {
            out.println("no dead letters on " + dlqTopic);
            return;
        }
        out.printf(ROW, "PART", "OFFSET", "KEY", "REASON", "ORIGIN (TOPIC:PARTITION:OFFSET)",
                "SIZE", "TIMESTAMP");
        for (DeadLetter letter : letters) {
            out.printf(ROW, letter.partition(), letter.offset(),
                    letter.keyText().orElse(DeadLetter.NONE),
                    shortened(letter.reason().orElse(DeadLetter.NONE)), letter.origin(),
                    letter.size(), letter.timestamp());
        }
        out.println(letters.size() + " dead letter(s) on " + dlqTopic);
    }

    static void jsonLines(List<DeadLetter> letters, PrintStream out) {
        for (DeadLetter letter : letters) {
            out.println(json(letter));
        }
    }

    static String json(DeadLetter letter) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("topic", letter.dlqTopic());
        fields.put("partition", letter.partition());
        fields.put("offset", letter.offset());
        fields.put("key", letter.keyText().orElse(null));
        fields.put("reason", letter.reason().orElse(null));
        fields.put("cause", letter.cause().orElse(null));
        fields.put("origin_topic", letter.originTopic().orElse(null));
        fields.put("origin_partition", letter.originPartition().isPresent()
                ? letter.originPartition().getAsInt() : null);
        fields.put("origin_offset", letter.originOffset().isPresent()
                ? letter.originOffset().getAsLong() : null);
        fields.put("size", letter.size());
        fields.put("timestamp", letter.timestamp().toString());
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }

    /** One line of at most {@link #REASON_WIDTH} characters. */
    private static String shortened(String reason) {
        String line = reason.replaceAll("\\s+", " ");
        return line.length() <= REASON_WIDTH ? line
                : line.substring(0, REASON_WIDTH - 3) + "...";
    }
}
