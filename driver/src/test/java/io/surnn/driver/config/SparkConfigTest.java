package io.surnn.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The Hadoop settings a run's Spark settings give the driver's own file access (s3a endpoint and the like). */
class SparkConfigTest {
    @Test
    void sparkHadoopSettingsFromTheRunConfigReachTheDriversHadoopConfiguration() {
        RunConfig c = ConfigLoader.parse("surnn.data.path = \"s3a://b/data\"", "test.conf",
                List.of("spark.conf.\"spark.hadoop.fs.s3a.endpoint\"=\"http://127.0.0.1:9000\"",
                        "spark.conf.\"spark.hadoop.fs.s3a.path.style.access\"=true",
                        "spark.conf.\"spark.executor.memory\"=2g"));
        Configuration h = c.spark().hadoopConfiguration();
        assertEquals("http://127.0.0.1:9000", h.get("fs.s3a.endpoint"));
        assertEquals("true", h.get("fs.s3a.path.style.access"));
        assertNull(h.get("spark.executor.memory"), "only spark.hadoop.* settings");
        assertNull(h.get("executor.memory"));
    }

    @Test
    void whatSparkSubmitSetWinsOverTheFile() {
        String key = "spark.hadoop.fs.s3a.endpoint";
        RunConfig c = ConfigLoader.parse("surnn.data.path = /d", "test.conf",
                List.of("spark.conf.\"" + key + "\"=\"http://from-file:9000\""));
        System.setProperty(key, "http://from-submit:9000");   // spark-submit --conf puts it there
        try {
            assertEquals("http://from-submit:9000", c.spark().hadoopConfiguration().get("fs.s3a.endpoint"));
        } finally {
            System.clearProperty(key);
        }
        assertEquals("http://from-file:9000", c.spark().hadoopConfiguration().get("fs.s3a.endpoint"));
    }
}
