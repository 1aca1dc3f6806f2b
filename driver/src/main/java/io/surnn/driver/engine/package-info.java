/**
 * Distributed training engines behind the driver's own small {@link io.surnn.driver.engine.TrainingEngine}
 * interface. {@link io.surnn.driver.engine.ParameterAveragingEngine} runs dl4j-spark's synchronous
 * parameter averaging; an engine written on plain Spark primitives can sit beside it without the
 * training loop noticing. {@link io.surnn.ops.models.Networks} lets engines, loop and evaluator
 * treat a MultiLayerNetwork and a (single-input) ComputationGraph alike.
 */
package io.surnn.driver.engine;
