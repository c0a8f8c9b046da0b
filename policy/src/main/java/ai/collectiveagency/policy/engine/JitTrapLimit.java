package ai.collectiveagency.policy.engine;

/**
 * The JIT setting of every process that runs the Java kernels: HotSpot's
 * {@code PerMethodTrapLimit} raised from its default of 100, a JVM flag, so the launchers pass
 * it ({@code ./pipeline}, the model services' images, the demo's fleet, the rollout bench's
 * server, the tests' JVMs).
 *
 * <p>C2 gives up a kind of speculation for the rest of a compilation once the traps of that
 * kind recorded in the profiles of the methods it has inlined so far add up to the limit, and
 * it counts a method's traps again each time it inlines it. A Vector API kernel inlines the
 * JDK's {@code lanewise} helpers once per operation. Whether those helpers have recorded traps
 * is decided early in a JVM's life: when the JIT compiles them on their own, while our kernels
 * still run interpreted, and an operator of another class reaches the compiled code (4 class
 * checks failed in {@code VectorOperators.opKind}, or in {@code FloatVector.lanewiseTemplate}).
 * In such a JVM the SwiGLU kernel's compilation reached 128 class-check traps after about 30
 * operations and stopped speculating on receiver classes. Its output vector's class was then
 * unknown, its species not a constant, and the store into the engine's memory fell back to the
 * Java implementation ("missing constant: vclass=DecodeN", {@code VectorSupport::store failed
 * to inline}), in every later compilation too.
 *
 * <p>Measured on the Zen 5 VM (2 cores) with the bench's prefill (8 x 256 tokens, best of 16
 * passes, each JVM's compilations logged): with the default, 7 of 14 fresh JVMs lost the store
 * and took 300-319 ms a pass, the others 262-282; with the limit raised (to this value in 6, to
 * 100,000 in 5), 11 of 11 kept it and took 258-277 (README, Speed). A raised limit still lets
 * C2 stop speculating where a trap was recorded at that very bytecode, so a method that keeps
 * trapping does not recompile without end.
 */
public final class JitTrapLimit {

    /** The limit: far above the sums a kernel's inlined helpers reach (31-128 seen). */
    public static final long VALUE = 10_000;
    /** HotSpot's name of the setting ({@link ModelJvmFlags#current} reads it back). */
    public static final String OPTION = "PerMethodTrapLimit";
    /** The flag that sets it. */
    public static final String FLAG = "-XX:" + OPTION + "=" + VALUE;

    private JitTrapLimit() {}
}
