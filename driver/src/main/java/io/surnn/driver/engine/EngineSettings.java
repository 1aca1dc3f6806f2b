package io.surnn.driver.engine;

/**
 * The engine's knobs, from {@code surnn.train}: minibatch size per worker, minibatches between
 * averagings, asynchronous prefetch depth, data-parallel workers, the seed, and how many optimizer
 * updates DL4J makes per minibatch (1; for truncated BPTT, one per segment).
 */
public record EngineSettings(int batchPerWorker, int averagingFrequency, int prefetch, int workers, long seed,
                             int updatesPerMinibatch) {
    public EngineSettings {
        if (batchPerWorker < 1 || averagingFrequency < 1 || prefetch < 0 || workers < 1 || updatesPerMinibatch < 1) {
            throw new IllegalArgumentException("engine settings out of range: batchPerWorker=" + batchPerWorker
                    + ", averagingFrequency=" + averagingFrequency + ", prefetch=" + prefetch + ", workers=" + workers
                    + ", updatesPerMinibatch=" + updatesPerMinibatch);
        }
    }

    /** One optimizer update per minibatch (no truncated BPTT). */
    public EngineSettings(int batchPerWorker, int averagingFrequency, int prefetch, int workers, long seed) {
        this(batchPerWorker, averagingFrequency, prefetch, workers, seed, 1);
    }
}
