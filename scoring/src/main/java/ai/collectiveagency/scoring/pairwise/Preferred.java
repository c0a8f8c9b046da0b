package ai.collectiveagency.scoring.pairwise;

/** Which text one order of a comparison preferred, named from the candidate's side. */
public enum Preferred {
    CANDIDATE,
    BASELINE,
    TIE
}
