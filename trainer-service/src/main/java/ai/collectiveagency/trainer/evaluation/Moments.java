package ai.collectiveagency.trainer.evaluation;

/**
 * Sample mean and unbiased standard deviation of a set of values, the estimators of every reward
 * and advantage statistic the trainer publishes (step metrics and held-out evaluations alike).
 *
 * @param count how many values
 * @param mean their mean; NaN when there are none
 * @param std their standard deviation with Bessel's correction (n - 1); 0 for fewer than two
 */
public record Moments(int count, double mean, double std) {

    public static Moments of(double[] values) {
        if (values.length == 0) {
            return new Moments(0, Double.NaN, 0);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        if (values.length < 2) {
            return new Moments(1, mean, 0);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Moments(values.length, mean, Math.sqrt(squares / (values.length - 1)));
    }
}
