package ai.collectiveagency.demo.report;

import java.util.List;

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

    /** Student's t at 0.975 for 1 to 30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
        2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    private static final double Z975 = 1.959963984540054;

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

    /**
     * Student's t quantile at 0.975: from the table up to 30 degrees of freedom, beyond that
     * the Cornish-Fisher expansion around the normal quantile (within 1e-4 there).
     */
    static double t975(int df) {
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = Z975;
        double z3 = z * z * z;
        return z + (z3 + z) / (4.0 * df)
                + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96.0 * df * df);
    }
}
