package io.surnn.driver.train;

import io.surnn.driver.config.RunConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of one driver command. Settings come from the run config (without overriding
 * what spark-submit already set), then {@code --master} if given. Local masters bind to loopback and
 * Spark's own console progress bar is off so the driver's progress line stays readable.
 */
public final class RunSession {
    private RunSession() {}

    public static SparkSession start(RunConfig cfg, String masterOverride) {
        SparkConf conf = cfg.spark().applyTo(new SparkConf());
        if (masterOverride != null && !masterOverride.isBlank()) {
            conf.setMaster(masterOverride);
        }
        return start(conf);
    }

    public static SparkSession start(SparkConf conf) {
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        io.surnn.driver.config.SparkConfig.nameIfUnnamed(conf, "suRNN");
        requireJarsShipped(conf);
        if (conf.get("spark.master").startsWith("local") && !conf.contains("spark.driver.host")) {
            conf.set("spark.driver.host", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // Log levels come from the shipped log4j2.properties (or the user's), not from code.
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * A cluster master needs the application's classes on its executors. spark-submit ships them
     * (it sets {@code spark.submit.deployMode}); a JVM started any other way with a cluster URL
     * would start executors that fail on the first task with a ClassCastException from a lambda, so
     * it is refused up front with the way that works.
     */
    static void requireJarsShipped(SparkConf conf) {
        String master = conf.get("spark.master");
        if (!master.startsWith("local") && !conf.contains("spark.submit.deployMode") && !conf.contains("spark.jars")) {
            throw new IllegalArgumentException("spark.master " + master + ": the executors would not get the application's"
                    + " jars; run through submit-scripts/submit.sh --master " + master + " -- <command> (the surnn launcher's"
                    + " train/evaluate --master do that), or set spark.jars");
        }
    }
}
