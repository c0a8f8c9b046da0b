package ai.collectiveagency.demo.report;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A mean with its 95% interval (Student's t over the values, each value one independent unit:
 * for rewards, one group's mean, since a group's trajectories share their task).
 *
 * @param n values averaged
 * @param mean their mean (NaN: none)
 * @param ciLow the interval's lower end (NaN: fewer than two values)
 * @param ciHigh its upper end (NaN: fewer than two values)
 */
public record MeanInterval(int n, double mean, double ciLow, double ciHigh) {

    public static MeanInterval of(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
        if (n < 2) {
            return new MeanInterval(n, mean, Double.NaN, Double.NaN);
        }
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double half = t975(n - 1) * Math.sqrt(squares / (n - 1) / n);
        return new MeanInterval(n, mean, mean - half, mean + half);
    }

    /** Student's t quantile at 0.975 for {@code df} degrees of freedom. */
    static double t975(int df) {
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }
}
