package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.ProgressWindow;
import ai.collectiveagency.demo.dashboard.ReplicaPoint;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.EvalResultJson;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.TrainingMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line for every trainer step ({@code "type": "step"}),
 * evaluation ({@code "evaluation"}), checkpoint ({@code "checkpoint"}), progress window ({@code
 * "window"}, with every replica of the scaled stages) and checkpoint adoption by every rollout
 * replica ({@code "adoption"}) of the run, written as they come and flushed line by line, so the
 * file is whole up to the last event even when the run is killed. Non-finite numbers are null.
 *
 * <p>A win-rate evaluation (the evaluation-service's) has its figures at the top level, as
 * {@code {"type":"evaluation","evaluation":"win-rate","policy_version":N,"against":"base",
 * "set":"negotiation-v1","decoding":"greedy","win_rate":x,"ci_low":x,"ci_high":x,"n":N,
 * "wins":N,"ties":N,"losses":N,"recorded_at":"...","metrics":{...},"pairs":[...]}}; the
 * trainer's held-out evaluations keep {@code sample_count} and their {@code metrics}.
 *
 * <p>At the end of a session one {@code "samples"} line gives the figures read from the run's
 * {@code samples.jsonl} ({@link #samples(RunSamples)}).
 */
public final class MetricsLog implements AutoCloseable {

    /** The file's name in the run folder. */
    public static final String FILE = "metrics.jsonl";

    private final ObjectMapper mapper = new ObjectMapper();
    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /** A new log at {@code file}; one left by an earlier run is replaced, as the report is. */
    public static MetricsLog create(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void step(TrainingMetrics m) {
        ObjectNode line = line("step");
        line.put("step", m.getStep());
        line.put("policy_version", m.getPolicyVersion());
        line.put("recorded_at", m.getRecordedAt().toString());
        numbers(line.putObject("metrics"), m.getMetrics());
        write(line);
    }

    /** Win rates flat, as the readers expect them ({@link EvalResultJson}). */
    public void evaluation(EvalResult e) {
        write(EvalResultJson.of(e));
    }

    public void checkpoint(PolicyCheckpoint c) {
        ObjectNode line = line("checkpoint");
        line.put("version", c.getVersion());
        line.put("step", c.getStep());
        line.put("uri", c.getUri());
        line.put("created_at", c.getCreatedAt().toString());
        write(line);
    }

    public void window(ProgressWindow w) {
        ObjectNode line = line("window");
        number(line, "seconds", w.seconds());
        numbers(line.putObject("per_second"), w.perSecond());
        line.put("fleet_version", w.fleetVersion());
        line.put("checkpoint", w.checkpoint());
        ObjectNode lag = line.putObject("lag");
        w.lag().forEach(lag::put);
        ArrayNode replicas = line.putArray("replicas");
        for (ReplicaPoint r : w.replicas()) {
            ObjectNode replica = replicas.addObject().put("service", r.service())
                    .put("replica", r.replica());
            if (r.policyVersion() == null) {
                replica.putNull("policy_version");
            } else {
                replica.put("policy_version", r.policyVersion());
            }
            number(replica, "groups_per_s", r.groupsPerSecond());
        }
        write(line);
    }

    public void adoption(Adoption a) {
        ObjectNode line = line("adoption");
        line.put("version", a.version());
        line.put("announced_ms", a.announcedMs());
        line.put("all_serving_ms", a.allServingMs());
        line.put("lag_ms", a.lagMs());
        write(line);
    }

    /**
     * The figures read from the run's sample files: {@code held_out_groups}; {@code
     * held_out_first20_*} and {@code held_out_last20_*} ({@code groups}, {@code reward_mean},
     * {@code ci_low}, {@code ci_high}: the 95% interval over the groups' mean rewards); {@code
     * held_out_rose_beyond_intervals}; {@code last50_held_out_resolutions} and {@code
     * last50_held_out_distinct_share}; {@code first_version} and {@code last_version} with
     * their {@code _reward_mean} and {@code _distinct_share}; {@code skipped_lines}.
     */
    public void samples(RunSamples read) {
        ObjectNode line = line("samples");
        HeldOutFigures heldOut = read.heldOut();
        line.put("held_out_groups", heldOut.groups());
        interval(line, "held_out_first20_", heldOut.first20());
        interval(line, "held_out_last20_", heldOut.last20());
        line.put("held_out_rose_beyond_intervals", heldOut.roseBeyondIntervals());
        line.put("last50_held_out_resolutions", heldOut.last50Resolutions());
        number(line, "last50_held_out_distinct_share", heldOut.last50DistinctShare());
        read.firstFigures().ifPresent(f -> version(line, "first_version", f));
        read.lastFigures().ifPresent(f -> version(line, "last_version", f));
        line.put("skipped_lines", read.skippedLines());
        write(line);
    }

    private static void interval(ObjectNode line, String prefix, MeanInterval interval) {
        line.put(prefix + "groups", interval.n());
        number(line, prefix + "reward_mean", interval.mean());
        number(line, prefix + "ci_low", interval.ciLow());
        number(line, prefix + "ci_high", interval.ciHigh());
    }

    private static void version(ObjectNode line, String name, VersionFigures figures) {
        line.put(name, figures.version());
        number(line, name + "_reward_mean", figures.rewardMean());
        number(line, name + "_distinct_share", figures.distinctShare());
    }

    private ObjectNode line(String type) {
        return mapper.createObjectNode().put("type", type);
    }

    private static void numbers(ObjectNode node, Map<String, Double> values) {
        values.forEach((name, value) -> number(node, name, value));
    }

    private static void number(ObjectNode node, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    private synchronized void write(ObjectNode line) {
        try {
            out.write(mapper.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + FILE, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + FILE, e);
        }
    }
}
