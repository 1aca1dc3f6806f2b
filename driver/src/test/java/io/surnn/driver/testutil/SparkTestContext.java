package io.surnn.driver.testutil;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A small embedded Spark for one test class: loopback, no UI, few shuffle partitions. */
public final class SparkTestContext {
    private SparkTestContext() {}

    public static JavaSparkContext start(String master, String name) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.default.parallelism", "2");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
