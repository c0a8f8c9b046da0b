package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.tokenizer.Message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The text side of asynchronous reasoning for one model: turns a conversation into the run's
 * {@link ReasoningIds} through the model's tokenizer and chat template, and heard text into its
 * block's ids. Built once per model ({@link #of}); reading the paragraph ends decodes every token
 * of the vocabulary once.
 *
 * @param policy         the model's tokenizer and chat template
 * @param prompts        the texts
 * @param question       the question's ids: what " yes" and " no" after it share, so the next
 *                       token tells them apart
 * @param yesId          the token where " yes" after the question departs from " no"
 * @param noId           the token where " no" departs from " yes"
 * @param vocabulary     paragraph ends and each stream's end ids
 * @param thinkerForbidden ids the thinker never samples ({@code <think>} where the model has it)
 * @param writerForbidden  ids the writer never samples ({@code <think>} and {@code </think>})
 */
public record ReasoningText(Policy policy, AsyncReasoningPrompts prompts, int[] question,
        int yesId, int noId,
        ReasoningSchedule.Vocabulary vocabulary, Set<Integer> thinkerForbidden,
        Set<Integer> writerForbidden) {

    static final String OPEN_THOUGHTS = "<think>";
    static final String CLOSE_THOUGHTS = "</think>";

    public ReasoningText {
        thinkerForbidden = Set.copyOf(thinkerForbidden);
        writerForbidden = Set.copyOf(writerForbidden);
    }

    /** The ids of {@code prompts} for {@code policy}'s tokenizer, with the paper's check every 20 thinker tokens. */
    public static ReasoningText of(Policy policy, AsyncReasoningPrompts prompts) {
        return of(policy, prompts, ReasoningSchedule.DEFAULT_CHECK_INTERVAL);
    }

    /**
     * The ids of {@code prompts} for {@code policy}'s tokenizer.
     *
     * @param checkInterval thinker tokens between two checks
     * @throws IllegalArgumentException when the model has no tokenizer or chat template, or the
     *     question's yes and no start with the same token
     */
    public static ReasoningText of(Policy policy, AsyncReasoningPrompts prompts,
            int checkInterval) {
        if (!policy.hasTokenizer()) {
            throw new IllegalArgumentException("asynchronous reasoning needs a model with a"
                    + " tokenizer: its prompts are text");
        }
        int[] yes = policy.encodeWithoutSpecialTokens(prompts.question() + " yes");
        int[] no = policy.encodeWithoutSpecialTokens(prompts.question() + " no");
        int shared = 0;
        while (shared < yes.length && shared < no.length && yes[shared] == no[shared]) {
            shared++;
        }
        if (shared == 0 || shared == yes.length || shared == no.length) {
            throw new IllegalArgumentException("question.txt followed by \" yes\" or \" no\" must"
                    + " tokenize as the question then one differing token; reword question.txt");
        }
        OptionalInt open = policy.tokenId(OPEN_THOUGHTS);
        OptionalInt close = policy.tokenId(CLOSE_THOUGHTS);
        Set<Integer> endOfThoughts = new HashSet<>(policy.endOfSequence());
        close.ifPresent(endOfThoughts::add);
        Set<Integer> paragraphEnds = paragraphEnds(policy);
        paragraphEnds.removeAll(endOfThoughts);
        paragraphEnds.removeAll(policy.endOfSequence());
        Set<Integer> thinkerForbidden = new HashSet<>();
        open.ifPresent(thinkerForbidden::add);
        Set<Integer> writerForbidden = new HashSet<>(thinkerForbidden);
        close.ifPresent(writerForbidden::add);
        return new ReasoningText(policy, prompts, Arrays.copyOf(yes, shared), yes[shared],
                no[shared],
                new ReasoningSchedule.Vocabulary(paragraphEnds, endOfThoughts,
                        policy.endOfSequence(), checkInterval),
                thinkerForbidden, writerForbidden);
    }

    /**
     * The ids of a run on {@code conversation}: each stream's prompt is the conversation under
     * its instructions, then its header.
     */
    public ReasoningIds ids(List<Message> conversation) {
        return new ReasoningIds(
                streamPrompt(prompts.thinkerSystem(), conversation, prompts.thinkerResponse()),
                streamPrompt(prompts.writerSystem(), conversation, prompts.writerThoughts()),
                policy.encodeWithoutSpecialTokens(prompts.thinkerSplit()),
                policy.encodeWithoutSpecialTokens(prompts.writerSplit()),
                question.clone(), yesId, noId, vocabulary,
                thinkerForbidden, writerForbidden);
    }

    /** The ids of the block that brings {@code text} in while a run decodes. */
    public int[] heard(String text) {
        return policy.encodeWithoutSpecialTokens(prompts.heard(text));
    }

    /**
     * The instructions go first as the system message; a conversation that brings its own system
     * message has it appended to them, since not every chat template takes two.
     */
    private int[] streamPrompt(String instructions, List<Message> conversation, String header) {
        if (conversation.isEmpty()) {
            throw new IllegalArgumentException("asynchronous reasoning needs at least one message");
        }
        List<Message> messages = new ArrayList<>();
        List<Message> rest = conversation;
        String system = instructions;
        if (conversation.get(0).role().equals("system")) {
            system = instructions + "\n\n" + conversation.get(0).content();
            rest = conversation.subList(1, conversation.size());
        }
        messages.add(Message.system(system));
        messages.addAll(rest);
        int[] chat = policy.encodeChat(messages);
        int[] tail = header.isEmpty() ? new int[0] : policy.encodeWithoutSpecialTokens(header);
        int[] all = new int[chat.length + tail.length];
        System.arraycopy(chat, 0, all, 0, chat.length);
        System.arraycopy(tail, 0, all, chat.length, tail.length);
        return all;
    }

    /** Every id whose text ends with a blank line. */
    private static Set<Integer> paragraphEnds(Policy policy) {
        Set<Integer> ends = new HashSet<>();
        int vocab = policy.config().vocabSize();
        int[] one = new int[1];
        for (int id = 0; id < vocab; id++) {
            one[0] = id;
            String text;
            try {
                text = policy.decodeWithSpecialTokens(one);
            } catch (RuntimeException padding) { // rows past the tokenizer's vocabulary
                continue;
            }
            if (text.endsWith("\n\n")) {
                ends.add(id);
            }
        }
        return ends;
    }
}
