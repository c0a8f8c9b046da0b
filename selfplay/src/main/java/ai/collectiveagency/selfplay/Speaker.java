package ai.collectiveagency.selfplay;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Segment;

/** One side of a self-play negotiation. Persona A speaks first and writes the resolution. */
public enum Speaker {
    A(Segment.PERSONA_A),
    B(Segment.PERSONA_B);

    private final Segment segment;

    Speaker(Segment segment) {
        this.segment = segment;
    }

    /** The segment label of this side's turns. */
    public Segment segment() {
        return segment;
    }

    public Speaker other() {
        return this == A ? B : A;
    }

    /** The persona this side plays in {@code task}. */
    public Persona persona(PromptTask task) {
        return this == A ? task.getPersonaA() : task.getPersonaB();
    }
}
