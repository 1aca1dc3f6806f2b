package io.surnn.driver.config;

import io.surnn.prep.format.HadoopSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

import java.util.Map;

/**
 * {@code surnn.spark}: master URL, application name and extra {@code spark.*} settings (passed through
 * unchanged, in file order).
 *
 * <p>Precedence of the master URL, highest first: {@code train --master} (the CLI sets it on the
 * SparkConf after {@link #applyTo}), spark-submit's {@code --master} (already in the SparkConf as
 * {@code spark.master}), {@code surnn.spark.master}. The same holds for every entry of {@link #conf()}:
 * a value spark-submit already put into the SparkConf is left alone, so {@code --conf} on the command
 * line beats the file.
 */
public record SparkConfig(String master, String appName, Map<String, String> conf) {

    public SparkConfig {
        conf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conf));
    }

    /**
     * Fills {@code sparkConf} from this config without overriding what spark-submit set: master,
     * app name and every {@link #conf()} entry are applied only where the key is absent.
     *
     * @return {@code sparkConf}, for chaining
     */
    public SparkConf applyTo(SparkConf sparkConf) {
        if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster(master);
        }
        nameIfUnnamed(sparkConf, appName);
        for (Map.Entry<String, String> e : conf.entrySet()) {
            if (!sparkConf.contains(e.getKey())) {
                sparkConf.set(e.getKey(), e.getValue());
            }
        }
        return sparkConf;
    }

    /**
     * The Hadoop configuration for the driver's own file access (dataset checks, checkpoints, model,
     * report) in a run with these settings: its {@code spark.hadoop.*} entries, and those spark-submit
     * or {@code -D} set, exactly as Spark passes them to its jobs ({@link HadoopSettings}). An S3
     * endpoint given as {@code --set 'spark.conf."spark.hadoop.fs.s3a.endpoint"=URL'} thus applies to
     * both.
     */
    public Configuration hadoopConfiguration() {
        return HadoopSettings.fromSpark(applyTo(new SparkConf()));
    }

    /**
     * spark-submit names an application after its main class when {@code --name} is not given; that
     * is not a name the user chose, so the config's {@code spark.app-name} replaces it.
     */
    static boolean isSubmitDefaultName(String name) {
        return name.startsWith("io.surnn.") && name.endsWith("Main");
    }

    /**
     * Names the application {@code appName} unless it has a name the user chose: none yet, or only the
     * main-class name spark-submit gives when {@code --name} is absent ({@link #isSubmitDefaultName}).
     */
    public static SparkConf nameIfUnnamed(SparkConf sparkConf, String appName) {
        if (!sparkConf.contains("spark.app.name") || isSubmitDefaultName(sparkConf.get("spark.app.name"))) {
            sparkConf.setAppName(appName);
        }
        return sparkConf;
    }
}
