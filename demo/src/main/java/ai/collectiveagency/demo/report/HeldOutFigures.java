package ai.collectiveagency.demo.report;

import java.util.Locale;

/**
 * The held-out figures that the demo's acceptance reads from {@code samples.jsonl}: held-out
 * reward over the first and over the last {@link #EDGE_GROUPS} held-out groups (each group's
 * mean reward one value; fewer, without overlap, when there are fewer than twice as many
 * groups), and how many of the last {@link #LAST_RESOLUTIONS} held-out resolutions are
 * different strings.
 *
 * @param groups held-out groups with a scored trajectory
 * @param first20 reward over the first groups
 * @param last20 reward over the last groups
 * @param last50Resolutions held-out resolutions counted (up to 50; trajectories without a
 *     resolution are not counted)
 * @param last50Distinct different strings among them
 */
public record HeldOutFigures(int groups, MeanInterval first20, MeanInterval last20,
        int last50Resolutions, int last50Distinct) {

    /** Held-out groups averaged at each end. */
    public static final int EDGE_GROUPS = 20;
    /** Held-out resolutions whose distinct share is counted. */
    public static final int LAST_RESOLUTIONS = 50;

    /** Distinct strings per resolution among the last ones (NaN: none). */
    public double last50DistinctShare() {
        return last50Resolutions == 0 ? Double.NaN
                : last50Distinct / (double) last50Resolutions;
    }

    /** Whether the last groups' reward exceeds the first's with intervals that do not overlap. */
    public boolean roseBeyondIntervals() {
        return last20.ciLow() > first20.ciHigh();
    }

    /** The figures in one line, for the terminal. */
    public String inWords() {
        if (first20.n() < 2) {
            return "too few held-out groups in samples.jsonl for held-out figures (" + groups
                    + ")";
        }
        return String.format(Locale.ROOT, "held-out reward %.4f [%.4f, %.4f] over the first "
                + "%d held-out groups, %.4f [%.4f, %.4f] over the last %d (95%% intervals); "
                + "%d of the last %d held-out resolutions distinct (%.2f)", first20.mean(),
                first20.ciLow(), first20.ciHigh(), first20.n(), last20.mean(), last20.ciLow(),
                last20.ciHigh(), last20.n(), last50Distinct, last50Resolutions,
                last50DistinctShare());
    }
}
