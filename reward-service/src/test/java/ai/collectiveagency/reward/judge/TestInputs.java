package ai.collectiveagency.reward.judge;

import ai.collectiveagency.reward.scoring.ScoringInput;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;
import java.time.Instant;
import java.util.List;

/** A small task and texts to judge. */
public final class TestInputs {

    private TestInputs() {
    }

    public static PromptTask task(String id) {
        return PromptTask.newBuilder()
                .setTaskId(id)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z"))
                .setMode(TaskMode.NEGOTIATION)
                .setScenario(new Scenario("River", "Both farms need the river in a dry summer.",
                        "water rights", "growth vs. care"))
                .setPersonaA(new Persona("Ana", "farmer", List.of("growth"), List.of("irrigate"),
                        List.of("no theft")))
                .setPersonaB(new Persona("Ben", "miller", List.of("care"), List.of("keep the mill"),
                        List.of("no violence")))
                .setSeed(1)
                .setProvenance(new Provenance(ProvenanceSource.FILE, "test", null))
                .setHeldOut(false)
                .build();
    }

    public static ScoringInput input(String text) {
        return new ScoringInput(task("t-1"), text);
    }

    /** A judge's answer under the CA rubric. */
    public static String caAnswer(int knowledge, int benevolence, int power, int vitality) {
        return "{\"scores\": {\"knowledge\": " + knowledge + ", \"benevolence\": " + benevolence
                + ", \"power\": " + power + ", \"vitality\": " + vitality
                + "}, \"rationale\": \"test\"}";
    }
}
