/**
 * The block KV cache of Asynchronous Reasoning (arXiv 2512.10931): one model decodes
 * several streams at once (a private thinker and a public writer) over shared text segments.
 *
 * <p>{@link ai.collectiveagency.policy.decode.blocks.KvBlock} holds one segment's keys, rotated
 * by their positions inside the segment, and values;
 * {@link ai.collectiveagency.policy.decode.blocks.BlockView} is the ordered list of blocks one
 * stream reads; {@link ai.collectiveagency.policy.decode.blocks.BlockAttention} attends over a
 * view by rotating the query per block by its distance from the block's start; and
 * {@link ai.collectiveagency.policy.decode.blocks.BlockDecoder} runs one batched decode step (or a
 * block's prefill) for several streams and documents the paper's approximation.
 */
package ai.collectiveagency.policy.decode.blocks;
