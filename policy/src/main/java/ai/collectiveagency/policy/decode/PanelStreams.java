package ai.collectiveagency.policy.decode;

/**
 * How {@link PanelMatmul}'s kernels read a panel of a {@link PackedMatrix}: as two streams
 * ({@link PanelKernels}: k and k + K/2 advance together) or as one ({@link OneStreamKernels}: k
 * in order). The two sum each output in a different order, so their outputs differ in the last
 * bits; either family's tilings agree bit for bit.
 *
 * <p>Which reads faster depends on the CPU, measured on the 40M bench model's products:
 * <ul>
 *   <li>Intel Xeon (Sapphire Rapids VM), two streams: at batch 16 on one core, 686 µs a product
 *       against 792 with one; the decoder's step with random weights, batch 16: 11.2-11.9
 *       against 13.3-13.5 ms; batch 1: 4.7-4.8 against 5.7-5.9 ms (README, Speed).
 *   <li>AMD EPYC (Zen 5 VM), one stream: 1.17-1.40x as fast by batch ({@link
 *       OneStreamKernels}).
 * </ul>
 * So the default is {@link #ONE} on AMD and {@link #TWO} elsewhere. Only one AMD generation
 * (Zen 5) was compared; the Zen 4 VM was not, but met the decode aims with the one-stream
 * arithmetic before the two streams existed. CPUs of other vendors keep what they ran before.
 *
 * <p>Usage: {@code new PanelMatmul(range, PanelTiling.preferred(), PanelStreams.preferred())}.
 */
public enum PanelStreams {
    /** k and k + K/2 advance together: two streams through each panel. */
    TWO,
    /** k in order: one stream through each panel. */
    ONE;

    /** System property: {@code 1} or {@code 2} forces the kernels (default: by CPU vendor). */
    public static final String PROPERTY = "policy.decode.panel-streams";

    /** Streams through each panel: 1 or 2. */
    public int count() {
        return this == ONE ? 1 : 2;
    }

    /** The kernels for this machine: {@link #PROPERTY} if set, else by the CPU's vendor. */
    public static PanelStreams preferred() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            return switch (forced.trim()) {
                case "1" -> ONE;
                case "2" -> TWO;
                default -> throw new IllegalArgumentException(PROPERTY + " must be 1 or 2, got '"
                        + forced + "'");
            };
        }
        return forVendor(CpuId.vendor());
    }

    /** The default for a CPU whose /proc/cpuinfo {@code vendor_id} is {@code vendor}. */
    static PanelStreams forVendor(String vendor) {
        return CpuId.AMD.equals(vendor) ? ONE : TWO;
    }
}
