package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.tokenizer.Message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token ids of one rollout's chat prompts, each distinct conversation rendered and encoded
 * once: a task's first prompt is the same for the admission check and for every trajectory of its
 * group, G + 1 renderings of one text otherwise. Lives as long as one rollout call, so it holds
 * that call's prompts and no more. Not thread-safe.
 */
final class RolloutPrompts {

    private final Policy policy;
    private final Map<List<Message>, int[]> encoded = new HashMap<>();

    RolloutPrompts(Policy policy) {
        this.policy = policy;
    }

    /** The ids of {@code messages} under the chat template, the assistant's turn opened. */
    int[] encode(List<Message> messages) {
        // a copy: the caller owns what it gets, and a prompt becomes part of a trajectory
        return encoded.computeIfAbsent(messages, policy::encodeChat).clone();
    }
}
