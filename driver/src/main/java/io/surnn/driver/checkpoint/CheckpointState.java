package io.surnn.driver.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.surnn.driver.config.ConfigEnum;
import io.surnn.driver.config.RunConfig;

import java.util.Map;

/**
 * What a checkpoint records besides the parameters (state.json): where training stood, the seeds
 * needed to continue the same random streams, and the run's identity (dataset manifest checksum,
 * config fingerprint and its two readable parts) used to refuse an incompatible {@code --resume}.
 *
 * @param epoch        the epoch in progress, 0-based
 * @param roundInEpoch averaging rounds completed within {@code epoch} (0 = epoch boundary)
 * @param step         optimizer steps completed in total (per worker)
 * @param round        averaging rounds completed in total
 * @param seeds        named RNG seeds (e.g. "train" → train.seed, "shuffle" → this epoch's seed)
 * @param extra        anything else the training loop needs back (best validation metric, …)
 * @param modelType    MultiLayerNetwork or ComputationGraph; filled in by {@link CheckpointStore#save}
 * @param createdAt    ISO-8601 instant; filled in by {@link CheckpointStore#save}
 */
public record CheckpointState(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("round_in_epoch") long roundInEpoch,
        @JsonProperty("step") long step,
        @JsonProperty("round") long round,
        @JsonProperty("seeds") Map<String, Long> seeds,
        @JsonProperty("manifest_sha256") String manifestSha256,
        @JsonProperty("config_fingerprint") String configFingerprint,
        @JsonProperty("model_shape") String modelShape,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("extra") Map<String, String> extra,
        @JsonProperty("model_type") String modelType,
        @JsonProperty("created_at") String createdAt) {

    public CheckpointState {
        seeds = seeds == null ? Map.of() : Map.copyOf(seeds);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /**
     * The state of run {@code config} on dataset {@code manifestSha256} at the given counters.
     * Identity fields are derived from the config; model type and time are set when saved.
     */
    public static CheckpointState of(RunConfig config, String manifestSha256, int epoch, long roundInEpoch,
                                     long step, long round, Map<String, Long> seeds, Map<String, String> extra) {
        return new CheckpointState(epoch, roundInEpoch, step, round, seeds, manifestSha256,
                config.fingerprint(manifestSha256), config.model().shapeKey(),
                ConfigEnum.configName(config.train().optimizer().name()), extra, null, null);
    }

    CheckpointState stamped(String type, String now) {
        return new CheckpointState(epoch, roundInEpoch, step, round, seeds, manifestSha256, configFingerprint,
                modelShape, optimizer, extra, type, now);
    }
}
