package io.surnn.driver.config;

/**
 * {@code surnn.train}: the training schedule. {@code maxSteps < 0} and
 * {@code maxSeconds < 0} mean no limit; {@code evalRecords < 0} means validation and test read whole splits;
 * {@code workers == 0} means one worker per executor core; {@code clip == 0} turns clipping off;
 * {@code earlyStoppingPatience == 0} turns early stopping off; {@code shards == 0} means one
 * allreduce shard per worker.
 */
public record TrainConfig(int epochs, long maxSteps, long seed, int batchPerWorker,
                          int averagingFrequency, int prefetch, int workers, Repartition repartition,
                          OptimizerConfig optimizer, int warmupSteps, Decay decay, double minLrFraction,
                          double clip, int tbptt, int earlyStoppingPatience, Engine engine, int shards,
                          double maxSeconds, long evalRecords) {

    /**
     * The training engine: dl4j-spark's parameter averaging ({@code paramavg}) or the engine on Spark's
     * own primitives with persistent replicas and sharded averaging ({@code allreduce}).
     */
    public enum Engine implements ConfigEnum { PARAMAVG, ALLREDUCE }

    /** dl4j-spark's Repartition policy (same constant names as org.deeplearning4j.spark.api.Repartition). */
    public enum Repartition implements ConfigEnum {
        ALWAYS("always"), NEVER("never"), NUM_PARTITIONS_WORKERS_DIFFERS("num-partitions-workers-differs");

        private final String configName;

        Repartition(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** Learning-rate decay after warm-up, down to {@code lr * minLrFraction}. */
    public enum Decay implements ConfigEnum { NONE, LINEAR, COSINE }

    /** True when {@code max-seconds} is set (not -1): training stops at the first round boundary after it. */
    public boolean hasTimeBudget() {
        return maxSeconds >= 0;
    }

    /** True when {@code eval-records} is set (not -1): validation and test read only that many records of a split. */
    public boolean hasEvalLimit() {
        return evalRecords >= 0;
    }

    /** How many of a split's {@code splitRecords} records validation and test read. */
    public long evalRecordsOf(long splitRecords) {
        return hasEvalLimit() ? Math.min(evalRecords, splitRecords) : splitRecords;
    }

    /** True when {@code max-steps} is set (not -1). */
    public boolean hasStepLimit() {
        return maxSteps >= 0;
    }

    /**
     * The learning rate at optimizer step {@code step} (0-based) of {@code totalSteps}: linear warm-up
     * from 0 over {@code warmupSteps}, then the decay down to {@code lr * minLrFraction} at the last step.
     */
    public double learningRateAt(long step, long totalSteps) {
        double peak = optimizer.lr();
        if (warmupSteps > 0 && step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        long span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, Math.max(0.0, (double) (step - warmupSteps) / span));
        double floor = peak * minLrFraction;
        return switch (decay) {
            case NONE -> peak;
            case LINEAR -> floor + (peak - floor) * (1.0 - progress);
            case COSINE -> floor + (peak - floor) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
        };
    }
}
