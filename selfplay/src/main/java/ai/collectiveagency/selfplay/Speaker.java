package ai.collectiveagency.selfplay;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Segment;

/** One side of a self-play negotiation. Persona A speaks first and writes the resolution. */
public enum Speaker {
    A(Segment.PERSONA_A, Segment.THOUGHTS_A),
    B(Segment.PERSONA_B, Segment.THOUGHTS_B);

    private final Segment segment;
    private final Segment thoughts;

    Speaker(Segment segment, Segment thoughts) {
        this.segment = segment;
        this.thoughts = thoughts;
    }

    /** The segment label of this side's turns. */
    public Segment segment() {
        return segment;
    }

    /** The segment label of this side's private thoughts (asynchronous reasoning). */
    public Segment thoughtsSegment() {
        return thoughts;
    }

    public Speaker other() {
        return this == A ? B : A;
    }

    /** The persona this side plays in {@code task}. */
    public Persona persona(PromptTask task) {
        return this == A ? task.getPersonaA() : task.getPersonaB();
    }
}
