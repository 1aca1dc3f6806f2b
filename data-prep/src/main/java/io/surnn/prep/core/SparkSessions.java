package io.surnn.prep.core;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * How a prep command gets its SparkSession. Under spark-submit (the system property
 * {@code spark.master} is set) the submitted master is used and --master is ignored; otherwise the
 * command starts an embedded Spark with --master (default local[*]). A session passed in by the
 * caller (tests, the driver) is always used as is and never stopped by the command.
 */
public final class SparkSessions {
    private SparkSessions() {}

    /** Starts (or joins) a session for a prep command. */
    public static SparkSession start(String master, String appName) {
        quietSparkLogs();
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        SparkSession s = SparkSession.builder().config(conf).getOrCreate();
        return s;
    }

    /**
     * Spark's default log4j2 setup prints INFO lines by the hundred; a prep command prints its own
     * progress. Only applied when the user has not configured log4j2 themselves.
     */
    static void quietSparkLogs() {
        if (System.getProperty("log4j2.configurationFile") != null
                || System.getProperty("log4j.configurationFile") != null) {
            return;
        }
        try {
            Configurator.setLevel("org.apache.spark", Level.WARN);
            Configurator.setLevel("org.apache.hadoop", Level.WARN);
            Configurator.setLevel("org.apache.parquet", Level.WARN);
            Configurator.setLevel("org.sparkproject", Level.WARN);
        } catch (RuntimeException | LinkageError e) {
            // a different logging backend: leave it alone
        }
    }
}
