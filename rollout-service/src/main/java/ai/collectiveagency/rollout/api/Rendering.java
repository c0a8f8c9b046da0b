package ai.collectiveagency.rollout.api;

import java.util.List;

/** How one endpoint writes what the policy answered: OpenAI's objects, whole or as chunks. */
interface Rendering {

    /** The JSON body of an answer without {@code stream}. */
    Object body(Sampled sampled);

    /** The chunks a stream opens with (chat: each choice's role). */
    List<?> opening(Admission admission);

    /** The chunk that carries {@code delta} of choice {@code choice}. */
    Object chunk(Admission admission, int choice, Delta delta);

    /** The last chunk, with the usage, when the request asked for it; else null. */
    Object usage(Admission admission, Usage usage);
}
