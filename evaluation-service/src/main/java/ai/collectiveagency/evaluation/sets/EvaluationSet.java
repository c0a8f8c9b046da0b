package ai.collectiveagency.evaluation.sets;

import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.PromptTaskJson;
import ai.collectiveagency.schemas.TaskMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fixed, versioned set of evaluation tasks: one {@link PromptTask} per line in Avro's JSON
 * encoding, as {@code ./pipeline prompts --out FILE} writes them. Its id is the file name without
 * {@code .jsonl}, {@code <name>-v<version>}: a changed set gets a new version, so results of two
 * versions are never compared as one series. Two ship with the service (see
 * {@code evaluation-sets/README.md}): {@code negotiation-v1} (negotiation tasks, judged for
 * conflict resolution) and {@code open-ended-v1} (single tasks, judged for Collective Agency),
 * and {@code tiny-negotiation-v1} / {@code tiny-open-ended-v1}, drawn from the short scenarios
 * the demo's small models are trained on (a 512-position context); any file of the same format
 * replaces them.
 *
 * @param id e.g. {@code negotiation-v1}
 * @param tasks in file order; all of one mode
 */
public record EvaluationSet(String id, List<PromptTask> tasks) {

    /** The sets for models of a usual context. */
    public static final List<String> STANDARD = List.of("negotiation-v1", "open-ended-v1");
    /** The sets for the demo's small models: its short scenarios, held out. */
    public static final List<String> SMALL_CONTEXT = List.of("tiny-negotiation-v1",
            "tiny-open-ended-v1");
    /** The sets shipped in this module's {@code evaluation-sets/} resources. */
    public static final List<String> SHIPPED = List.of("negotiation-v1", "open-ended-v1",
            "tiny-negotiation-v1", "tiny-open-ended-v1");

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*-v\\d+");
    /** Far more than any set needs; a caller's file cannot make the service read without end. */
    private static final int MAX_TASKS = 10_000;

    public EvaluationSet {
        Objects.requireNonNull(id, "id");
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("evaluation set " + id + " has no tasks");
        }
        Set<TaskMode> modes = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (PromptTask task : tasks) {
            modes.add(task.getMode());
            if (!ids.add(task.getTaskId())) {
                throw new IllegalArgumentException("evaluation set " + id + " lists task "
                        + task.getTaskId() + " twice");
            }
        }
        if (modes.size() > 1) {
            throw new IllegalArgumentException("evaluation set " + id + " mixes modes " + modes
                    + ": a set is either negotiation tasks or single tasks");
        }
    }

    /**
     * A shipped set by name ({@link #SHIPPED}), or a {@code .jsonl} file (its id is the file name
     * without the extension, which must end in {@code -v<version>}).
     *
     * @throws IllegalArgumentException naming the set and what is wrong with it
     */
    public static EvaluationSet load(String nameOrPath) {
        if (SHIPPED.contains(nameOrPath)) {
            try (InputStream in = EvaluationSet.class.getResourceAsStream(
                    "/evaluation-sets/" + nameOrPath + ".jsonl")) {
                return parse(nameOrPath, in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("evaluation set " + nameOrPath + " is neither a"
                    + " shipped set " + SHIPPED + " nor a .jsonl file");
        }
        String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("evaluation set file " + file + ": name it"
                    + " <name>-v<version>.jsonl (lower case), so its results name the set's"
                    + " version");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(name, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evaluation set " + file, e);
        }
    }

    private static EvaluationSet parse(String id, InputStream in) throws IOException {
        List<PromptTask> tasks = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in,
                StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            if (tasks.size() == MAX_TASKS) {
                throw new IllegalArgumentException("evaluation set " + id + " has more than "
                        + MAX_TASKS + " tasks");
            }
            try {
                tasks.add(PromptTaskJson.parse(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("evaluation set " + id + " line " + number
                        + " is not a PromptTask in Avro JSON: " + e.getMessage(), e);
            }
        }
        return new EvaluationSet(id, tasks);
    }

    /** Negotiation tasks (judged for conflict resolution), or single tasks (for CA). */
    public TaskMode mode() {
        return tasks.get(0).getMode();
    }

    /** The first {@code count} tasks (all when the set is smaller). */
    public EvaluationSet first(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("tasks per set must be at least 1, was " + count);
        }
        return count >= tasks.size() ? this : new EvaluationSet(id, tasks.subList(0, count));
    }
}
