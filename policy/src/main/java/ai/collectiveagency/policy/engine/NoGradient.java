package ai.collectiveagency.policy.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off for a block ({@code torch.no_grad()}).
 *
 * <p>Optimiser updates write in place into leaf tensors that require a gradient; PyTorch refuses
 * that while grad mode is on. Grad mode is per thread: DJL turns it off only on the thread that
 * loaded the engine and turns it on inside a {@code GradientCollector}, so an update from any
 * other thread, or inside a collector, needs this guard. The previous mode is restored on close.
 */
public final class NoGradient implements AutoCloseable {

    private final boolean wasRecording;

    public NoGradient() {
        wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    /** Whether autograd records on this thread now (grad mode on). */
    public static boolean recording() {
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(wasRecording);
    }
}
