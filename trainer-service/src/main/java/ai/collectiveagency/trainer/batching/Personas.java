package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.schemas.Segment;

/** Whose dialogue turns a step learns from. */
public enum Personas {
    A, B, BOTH;

    /**
     * Whether a turn of {@code segment} passes; a persona's thoughts go with its turns;
     * resolutions and answers always pass.
     */
    public boolean includes(Segment segment) {
        return switch (segment) {
            case PERSONA_A, THOUGHTS_A -> this != B;
            case PERSONA_B, THOUGHTS_B -> this != A;
            case RESOLUTION, ANSWER -> true;
        };
    }
}
