package io.surnn.driver.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Where training stands between two rounds: everything (besides parameters and updater state) a
 * resumed run needs to continue exactly where the checkpoint was taken. Immutable; JSON via
 * {@link #toJson}/{@link #fromJson}.
 *
 * @param epoch       the epoch the next round belongs to (0-based)
 * @param round       the next round within that epoch (0-based)
 * @param step        optimizer steps done so far (per worker, the busiest worker's count)
 * @param rounds      rounds done so far over all epochs
 * @param bestMetric  best validation metric so far (NaN before the first evaluation)
 * @param badEvals    evaluations since the best one (early stopping)
 * @param stopped     true once early stopping ended training (max-steps does not set it)
 */
public record TrainState(@JsonProperty("epoch") int epoch, @JsonProperty("round") long round,
                         @JsonProperty("step") long step, @JsonProperty("rounds") long rounds,
                         @JsonProperty("best_metric") double bestMetric, @JsonProperty("bad_evals") int badEvals,
                         @JsonProperty("stopped") boolean stopped) {

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonCreator
    public TrainState {}

    public static TrainState start() {
        return new TrainState(0, 0, 0, 0, Double.NaN, 0, false);
    }

    TrainState afterRound(long steps) {
        return new TrainState(epoch, round + 1, step + steps, rounds + 1, bestMetric, badEvals, stopped);
    }

    TrainState afterEpoch(double best, int bad, boolean stop) {
        return new TrainState(epoch + 1, 0, step, rounds, best, bad, stop);
    }


    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrainState fromJson(String json, String where) {
        try {
            return JSON.readValue(json, TrainState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not a training state: " + e.getMessage().split("\n")[0], e);
        }
    }
}
