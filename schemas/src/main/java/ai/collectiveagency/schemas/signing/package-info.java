/**
 * Ed25519 signatures on {@code PolicyCheckpoint} records, so that replicas serve only what the
 * trainer published: the bytes that are signed ({@link
 * ai.collectiveagency.schemas.signing.CheckpointSigningBytes}), the trainer's signer, the
 * replicas' trusted keys, and the key files (JDK {@code java.security} only).
 */
package ai.collectiveagency.schemas.signing;
