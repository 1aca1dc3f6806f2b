package io.surnn.driver.engine;

import io.surnn.driver.config.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;

/** Picks the engine {@code surnn.train.engine} names. */
public final class TrainingEngines {
    private TrainingEngines() {}

    /**
     * @param shards allreduce only: shards the parameter vector is averaged in (0: one per worker)
     */
    public static TrainingEngine create(TrainConfig.Engine kind, int shards, JavaSparkContext sc, Model net,
                                        EngineSettings settings) {
        return switch (kind) {
            case PARAMAVG -> new ParameterAveragingEngine(sc, net, settings);
            case ALLREDUCE -> new AllReduceEngine(sc, net, settings, shards);
        };
    }
}
