package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.schemas.Segment;

/** Which generated tokens a step learns from. */
public enum Segments {
    /** The personas' dialogue turns (the research's choice); a SINGLE task's answer too. */
    DIALOGUE,
    /** Persona A's final resolution; a SINGLE task's answer too. */
    RESOLUTION,
    /** Both. */
    BOTH;

    /**
     * Whether turns of {@code segment} are trained on. A persona's thoughts are not chosen here:
     * {@code trainer.train-thoughts} decides ({@link ExampleBuilder}).
     */
    public boolean includes(Segment segment) {
        return switch (segment) {
            case ANSWER -> true;
            case RESOLUTION -> this != DIALOGUE;
            case PERSONA_A, PERSONA_B -> this != RESOLUTION;
            case THOUGHTS_A, THOUGHTS_B -> false;
        };
    }

    /** Whether {@code segment} is a persona's private thoughts (asynchronous reasoning). */
    public static boolean isThoughts(Segment segment) {
        return segment == Segment.THOUGHTS_A || segment == Segment.THOUGHTS_B;
    }
}
