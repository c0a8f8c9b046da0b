package ai.collectiveagency.selfplay;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Small tasks, and where the test model and the compact prompts live. */
public final class TestTasks {

    /** Random weights, a real byte-level BPE tokenizer and ChatML template, 256 positions. */
    public static final Path MODEL = Path.of("..", "models", "qwen2-tiny-random");

    private TestTasks() {}

    /**
     * Prompts short enough for the test model's 256 positions: from this module's test
     * resources, or from inside its test jar when another module's tests use it.
     */
    public static PromptTemplates compactPrompts() {
        try {
            java.net.URI uri = TestTasks.class.getResource("/compact-prompts").toURI();
            if (!uri.getScheme().equals("jar")) {
                return PromptTemplates.load(Path.of(uri));
            }
            try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri,
                    java.util.Map.of())) {
                return PromptTemplates.load(jar.getPath("/compact-prompts"));
            }
        } catch (java.net.URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PromptTask task(String id, TaskMode mode, long seed) {
        return task(id, mode, seed, "Both farms need the river.");
    }

    public static PromptTask task(String id, TaskMode mode, long seed, String description) {
        return PromptTask.newBuilder()
                .setTaskId(id)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z"))
                .setMode(mode)
                .setScenario(Scenario.newBuilder().setTitle("River").setDescription(description)
                        .setDomain("water rights").setValueConflict("growth vs. care").build())
                .setPersonaA(persona("Ana", "farmer", "growth", "irrigate"))
                .setPersonaB(persona("Benedikt", "village miller", "care", "keep the mill"))
                .setSeed(seed)
                .setProvenance(Provenance.newBuilder().setSource(ProvenanceSource.FILE)
                        .setGeneratorVersion("test").build())
                .setHeldOut(false)
                .build();
    }

    private static Persona persona(String name, String role, String value, String goal) {
        return Persona.newBuilder().setName(name).setRole(role).setValues(List.of(value))
                .setGoals(List.of(goal)).setConstraints(List.of("no theft")).build();
    }
}
