package ai.collectiveagency.policy.decode.blocks;

import java.util.List;

/**
 * What one stream sees: an ordered list of {@link KvBlock}s, read as one sequence. A block's
 * offset is the summed lengths of the blocks before it in this view, computed when asked, so a
 * block that grows shifts the later blocks of every view at no cost.
 *
 * <p>Usage: the thinker of Asynchronous Reasoning sees {@code new BlockView(List.of(prompt,
 * writer, thinker))} and the writer {@code new BlockView(List.of(prompt, thinker, writer))}.
 *
 * @param blocks the blocks in reading order, each at most once
 */
public record BlockView(List<KvBlock> blocks) {

    public BlockView {
        blocks = List.copyOf(blocks);
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.indexOf(blocks.get(i)) != i) {
                throw new IllegalArgumentException(blocks.get(i) + " appears twice in a view");
            }
        }
    }

    public static BlockView of(KvBlock... blocks) {
        return new BlockView(List.of(blocks));
    }

    /** Whether {@code block} is part of this view. */
    public boolean contains(KvBlock block) {
        return blocks.contains(block);
    }

    /** The position of {@code block}'s first token in this view. */
    public int offset(KvBlock block) {
        int offset = 0;
        for (KvBlock b : blocks) {
            if (b == block) {
                return offset;
            }
            offset += b.length();
        }
        throw new IllegalArgumentException(block + " is not in the view " + blocks);
    }

    /** Tokens in the view, all blocks together. */
    public int length() {
        return blocks.stream().mapToInt(KvBlock::length).sum();
    }

    /** The view's token ids, the blocks concatenated: the sequence a plain decoder would see. */
    public int[] tokens() {
        int[] all = new int[length()];
        int at = 0;
        for (KvBlock b : blocks) {
            int[] part = b.tokens();
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
