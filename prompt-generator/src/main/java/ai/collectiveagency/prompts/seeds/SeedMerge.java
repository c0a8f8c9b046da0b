package ai.collectiveagency.prompts.seeds;

/** What a file in a user seed folder does to the shipped list of the same name. */
public enum SeedMerge {
    /** The user's entries come after the shipped ones. */
    EXTEND,
    /** The user's entries are the whole list. */
    REPLACE
}
