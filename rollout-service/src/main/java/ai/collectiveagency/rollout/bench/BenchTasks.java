package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Synthetic negotiation tasks of the benchmark: short, so they fit the tiny fixture too. */
final class BenchTasks {

    private static final String[][] SCENARIOS = {
        {"River", "Both farms need the river in a dry summer.", "water rights"},
        {"Clinic", "One clinic budget, two wards short of staff.", "health care"},
        {"School", "The old school can become housing or a library.", "urban planning"},
        {"Data", "A lab wants patient data; the patients want privacy.", "research ethics"},
    };

    private BenchTasks() {
    }

    /**
     * {@code count} tasks, numbered from {@code first}, the scenarios above in turn, each with
     * its own seed.
     */
    static List<PromptTask> negotiations(int count, String prefix, int first) {
        List<PromptTask> tasks = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            String[] scenario = SCENARIOS[i % SCENARIOS.length];
            tasks.add(PromptTask.newBuilder()
                    .setTaskId(prefix + "-" + i)
                    .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z"))
                    .setMode(TaskMode.NEGOTIATION)
                    .setScenario(Scenario.newBuilder().setTitle(scenario[0])
                            .setDescription(scenario[1]).setDomain(scenario[2])
                            .setValueConflict("growth vs. care").build())
                    .setPersonaA(persona("Ana", "farmer", "growth"))
                    .setPersonaB(persona("Ben", "miller", "care"))
                    .setSeed(1000 + i)
                    .setProvenance(Provenance.newBuilder().setSource(ProvenanceSource.FILE)
                            .setGeneratorVersion("bench").build())
                    .setHeldOut(false)
                    .build());
        }
        return tasks;
    }

    private static Persona persona(String name, String role, String value) {
        return Persona.newBuilder().setName(name).setRole(role).setValues(List.of(value))
                .setGoals(List.of("a fair share")).setConstraints(List.of("no theft")).build();
    }
}
