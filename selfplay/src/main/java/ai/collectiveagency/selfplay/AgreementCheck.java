package ai.collectiveagency.selfplay;

import java.util.List;

/**
 * Decides, for many dialogues at once, whether the two sides have settled the core direction of a
 * resolution. Batched because the self-play loop checks every active dialogue after each turn,
 * and a model-based check is one batched generation.
 */
public interface AgreementCheck {

    /** One verdict per dialogue, in the same order; an empty list gives an empty list. */
    List<AgreementVerdict> check(List<Dialogue> dialogues);
}
