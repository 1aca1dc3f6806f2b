package io.surnn.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Keeps secrets out of what the driver writes and prints: every rendering of a run's config
 * ({@link RunConfig#render()}, {@link RunConfig#renderJson()}, so metrics.json, report.html,
 * model/config.conf and each checkpoint's config.conf) goes through {@link #redact}.
 *
 * <p>The rule is Spark's own: a setting whose key matches {@code spark.redaction.regex} gets the value
 * {@value #REPLACEMENT}. The pattern is the one set under {@code spark.conf} if any, else Spark 3.5's
 * default {@value #DEFAULT_REGEX}. Keys are matched as dotted paths below {@code surnn} (e.g.
 * {@code spark.conf.spark.hadoop.fs.s3a.secret.key}); within {@code spark.conf} a matching value is
 * redacted too, as Spark does for its own configuration.
 *
 * <p>Design: redaction happens only on the way out. The RunConfig itself keeps the real values (the
 * SparkConf needs them), and nothing reads a stored config back for its settings: {@code --resume}
 * compares a checkpoint's state.json (dataset checksum, model shape, optimizer), never its
 * config.conf, and takes every setting, secrets included, from the current config. Secrets should not
 * be written into config files at all: Hadoop's S3A reads {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY} from the environment, or a credential provider
 * ({@code hadoop.security.credential.provider.path}); a HOCON {@code ${?ENV_VAR}} substitution also
 * keeps them out of the file (and is redacted like any other value once resolved).
 */
public final class Redaction {
    /** Spark 3.5's default {@code spark.redaction.regex}. */
    public static final String DEFAULT_REGEX = "(?i)secret|password|token|access[.]?key";
    /** What a redacted value becomes (Spark's replacement text). */
    public static final String REPLACEMENT = "*********(redacted)";
    /** The Spark setting that overrides {@link #DEFAULT_REGEX}. */
    public static final String REGEX_KEY = "spark.redaction.regex";

    private static final Pattern DEFAULT = Pattern.compile(DEFAULT_REGEX);
    private static final String SPARK_CONF = "spark.conf";

    private Redaction() {}

    /** True when {@code key} (dotted) matches Spark's default redaction pattern. */
    public static boolean sensitive(String key) {
        return DEFAULT.matcher(key).find();
    }

    /** The pattern a run uses: its spark.conf's {@code spark.redaction.regex}, else the default. */
    static Pattern pattern(Map<String, String> sparkConf) {
        String custom = sparkConf.get(REGEX_KEY);
        if (custom == null || custom.isBlank()) {
            return DEFAULT;
        }
        try {
            return Pattern.compile(custom);
        } catch (PatternSyntaxException e) {
            return DEFAULT;   // Spark would refuse to start with it; keep redacting meanwhile
        }
    }

    /**
     * A copy of the resolved {@code surnn} tree with every sensitive value replaced by
     * {@value #REPLACEMENT}.
     */
    static Config redact(Config surnnTree, Pattern pattern) {
        Config out = surnnTree;
        for (Map.Entry<String, ConfigValue> e : surnnTree.entrySet()) {
            List<String> parts = ConfigUtil.splitPath(e.getKey());
            String dotted = String.join(".", parts);
            boolean inSparkConf = dotted.startsWith(SPARK_CONF + ".");
            ConfigValue v = e.getValue();
            boolean secretValue = inSparkConf && v.valueType() != ConfigValueType.LIST
                    && pattern.matcher(String.valueOf(v.unwrapped())).find();
            if (pattern.matcher(dotted).find() || secretValue) {
                out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(REPLACEMENT, "redacted"));
            }
        }
        return out;
    }
}
