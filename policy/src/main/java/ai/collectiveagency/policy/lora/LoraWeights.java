package ai.collectiveagency.policy.lora;

import ai.djl.ndarray.NDArray;

/**
 * The two factors of one projection's low-rank update ΔW = scaling · B·A.
 *
 * @param a lora_A (r, in): projects the input down to rank r
 * @param b lora_B (out, r): projects back up; zero in a fresh adapter
 */
record LoraWeights(NDArray a, NDArray b) {}
