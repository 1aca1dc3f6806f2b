package io.surnn.driver.engine;

/**
 * The engine's knobs, from {@code surnn.train}: minibatch size per worker, minibatches between
 * averagings, asynchronous prefetch depth, data-parallel workers and the seed.
 */
public record EngineSettings(int batchPerWorker, int averagingFrequency, int prefetch, int workers, long seed) {
    public EngineSettings {
        if (batchPerWorker < 1 || averagingFrequency < 1 || prefetch < 0 || workers < 1) {
            throw new IllegalArgumentException("engine settings out of range: batchPerWorker=" + batchPerWorker
                    + ", averagingFrequency=" + averagingFrequency + ", prefetch=" + prefetch + ", workers=" + workers);
        }
    }
}
