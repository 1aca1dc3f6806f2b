/**
 * Distributed training engines behind the driver's own small {@link io.surnn.driver.engine.TrainingEngine}
 * interface, picked by {@link io.surnn.driver.engine.TrainingEngines} from {@code train.engine}.
 * {@link io.surnn.driver.engine.ParameterAveragingEngine} runs dl4j-spark's synchronous parameter
 * averaging; {@link io.surnn.driver.engine.AllReduceEngine} runs the same rounds on Spark primitives
 * (replicas kept on the executors, shard-wise averaging through a shuffle). Both report where each
 * round's time went as a {@link io.surnn.driver.engine.RoundProfile}. {@link io.surnn.ops.models.Networks}
 * (worker-ops) lets engines, loop and evaluator treat a MultiLayerNetwork and a ComputationGraph alike.
 */
package io.surnn.driver.engine;
