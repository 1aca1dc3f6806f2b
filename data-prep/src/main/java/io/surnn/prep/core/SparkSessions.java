package io.surnn.prep.core;

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
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // token arrays and rows cross two shuffles in the LM jobs: Kryo is several times faster than Java serialization
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        SparkSession s = SparkSession.builder().config(conf).getOrCreate();
        return s;
    }

}
