package io.surnn.prep.format;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The Hadoop configuration for file system access outside Spark's jobs (checks before Spark starts,
 * manifests, checkpoints, model directories), built the way Spark builds its own: Hadoop's defaults
 * (core-site.xml on the class path, if any) plus every {@code spark.hadoop.KEY=VALUE} Spark setting as
 * {@code KEY=VALUE}. So an S3 endpoint or credential provider given as
 * {@code --conf spark.hadoop.fs.s3a.endpoint=...} (spark-submit), {@code -Dspark.hadoop...}
 * (SURNN_JAVA_OPTS) or {@code surnn.spark.conf} (a run config) reaches the driver's own reads and
 * writes exactly as it reaches the executors'.
 *
 * <p>Credentials are never read from a file of ours: S3A's default provider chain takes them from
 * the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), the instance profile, Hadoop
 * credential providers ({@code hadoop.security.credential.provider.path}) or explicit
 * {@code spark.hadoop.fs.s3a.*} settings.
 */
public final class HadoopSettings {
    /** The prefix Spark strips when it copies a setting into its Hadoop configuration. */
    public static final String SPARK_PREFIX = "spark.hadoop.";

    private HadoopSettings() {}

    /** Hadoop's defaults plus {@code conf}'s {@code spark.hadoop.*} settings (prefix removed). */
    public static Configuration fromSpark(SparkConf conf) {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> e : conf.getAll()) {
            if (e._1().startsWith(SPARK_PREFIX) && e._1().length() > SPARK_PREFIX.length()) {
                hadoop.set(e._1().substring(SPARK_PREFIX.length()), e._2(), "spark setting " + e._1());
            }
        }
        return hadoop;
    }

    /**
     * {@link #fromSpark} of this JVM's Spark settings: the {@code spark.*} system properties
     * (spark-submit's {@code --conf}, or {@code -D} options).
     */
    public static Configuration current() {
        return fromSpark(new SparkConf(true));
    }
}
