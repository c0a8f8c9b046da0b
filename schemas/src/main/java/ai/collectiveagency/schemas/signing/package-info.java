/**
 * Ed25519 signatures on {@code PolicyCheckpoint} records, so that replicas serve only what the
 * trainer published, and on {@code FleetPin} records, so that only an operator pins the fleet:
 * the bytes that are signed ({@link ai.collectiveagency.schemas.signing.CheckpointSigningBytes},
 * {@link ai.collectiveagency.schemas.signing.FleetPinSigningBytes}), the signers, the replicas'
 * trusted keys, and the key files (JDK {@code java.security} only).
 */
package ai.collectiveagency.schemas.signing;
