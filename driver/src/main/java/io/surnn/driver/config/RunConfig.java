package io.surnn.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A validated run configuration: the typed view of the {@code surnn { }} tree plus the resolved tree
 * itself (for {@link #render()}). Built only by {@link ConfigLoader}; immutable.
 *
 * @param source   where it came from (the config file as given, or another description)
 * @param resolved the resolved {@code surnn} subtree, defaults included
 */
public record RunConfig(String task, DataConfig data, ModelConfig model, TrainConfig train,
                        CheckpointConfig checkpoint, OutputConfig output, SparkConfig spark,
                        String source, Config resolved) {

    /** Version of the fingerprint recipe; bump when {@link #fingerprint} changes meaning. */
    static final String FINGERPRINT_VERSION = "fp1";

    /**
     * The resolved configuration as HOCON text ({@code surnn { … }}, defaults included, no comments),
     * secrets redacted ({@link Redaction}). {@link ConfigLoader#parse} reads it back to an equal
     * RunConfig, except that redacted values read back as the redaction text; checkpoints, the model
     * directory and reports store it.
     */
    public String render() {
        // HOCON rendering drops the braces of a root object, so wrap the tree in its "surnn" key.
        return ConfigFactory.empty().withValue("surnn", redacted().root()).root().render(ConfigRenderOptions
                .defaults().setOriginComments(false).setComments(false).setFormatted(true).setJson(false));
    }

    /** The resolved configuration as a compact JSON object ({@code {"task":…,"model":{…},…}}), secrets redacted. */
    public String renderJson() {
        return redacted().root().render(ConfigRenderOptions.concise());
    }

    private Config redacted() {
        return Redaction.redact(resolved, Redaction.pattern(spark.conf()));
    }

    /**
     * A stable hex SHA-256 over what makes two runs incompatible for {@code --resume}: the model's
     * parameter shapes ({@link ModelConfig#shapeKey()}), the optimizer kind (its state layout) and the
     * dataset, identified by the SHA-256 of its manifest.json (so moving the dataset keeps the
     * fingerprint, regenerating it changes it). Learning rate, epochs, workers etc. may change on resume.
     *
     * @param manifestSha256 hex SHA-256 of the dataset's manifest.json bytes
     */
    public String fingerprint(String manifestSha256) {
        String key = FINGERPRINT_VERSION + "|" + model.shapeKey()
                + "|optimizer=" + ConfigEnum.configName(train.optimizer().name())
                + "|manifest=" + manifestSha256;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
