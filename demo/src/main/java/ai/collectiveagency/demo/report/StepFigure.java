package ai.collectiveagency.demo.report;

import java.util.OptionalDouble;

/**
 * A step metric at the start of the run and at its end, for the report's summary: the mean over
 * the first and over the last few steps that reported it, without overlap, and over them all.
 *
 * @param metric the metric's name, as the trainer names it (e.g. {@code reward_mean})
 * @param start mean of its first {@code steps} values; empty when no step reported it
 * @param end mean of its last {@code steps} values; empty when no step reported it
 * @param steps steps averaged at each end
 * @param runMean mean over every step that reported it; empty when none did
 */
public record StepFigure(String metric, OptionalDouble start, OptionalDouble end, int steps,
        OptionalDouble runMean) {
}
