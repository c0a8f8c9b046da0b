package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as Docker reads it: comment lines dropped, lines ending in a backslash
 * joined, each instruction split into its keyword (upper case) and its arguments.
 */
record Dockerfile(Path file, List<Instruction> instructions) {

    /** One instruction; {@code stage} counts the FROMs before it (the first stage is 1). */
    record Instruction(String keyword, String arguments, int stage) {

        /** The arguments split on white space. */
        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int stage = 0;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(trimmed).toString();
            pending.setLength(0);
            String[] parts = whole.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(keyword, parts.length > 1 ? parts[1] : "", stage));
        }
        return new Dockerfile(file, List.copyOf(instructions));
    }

    /** Every instruction with {@code keyword}, in order. */
    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions of the last stage, the image that is built. */
    List<Instruction> finalStage() {
        int last = instructions.stream().mapToInt(Instruction::stage).max().orElse(0);
        return instructions.stream().filter(i -> i.stage() == last).toList();
    }

    /** The final stage's ENV settings (its own, not its base image's). */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Instruction env : finalStage()) {
            if (!env.keyword().equals("ENV")) {
                continue;
            }
            Matcher pair = ENV_PAIR.matcher(env.arguments());
            while (pair.find()) {
                environment.put(pair.group(1), pair.group(2).replace("\"", ""));
            }
        }
        return environment;
    }
}
