package io.surnn.prep.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class HadoopSettingsTest {
    @Test
    void sparkHadoopSettingsLoseTheirPrefixAndOtherSparkSettingsStayOut() {
        Configuration h = HadoopSettings.fromSpark(new SparkConf(false)
                .set("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
                .set("spark.hadoop.fs.s3a.path.style.access", "true")
                .set("spark.executor.memory", "2g"));
        assertEquals("http://127.0.0.1:9000", h.get("fs.s3a.endpoint"));
        assertEquals("true", h.get("fs.s3a.path.style.access"));
        assertNull(h.get("spark.executor.memory"));
        assertNull(h.get("executor.memory"));
        assertEquals("file:///", h.get("fs.defaultFS"), "Hadoop's own defaults stay");
    }

    @Test
    void currentReadsTheJvmsSparkSystemProperties() {
        assertEquals("true", HadoopSettings.current().get("fs.s3a.connection.ssl.enabled"), "core-default.xml");
        System.setProperty("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        try {
            assertEquals("false", HadoopSettings.current().get("fs.s3a.connection.ssl.enabled"));
        } finally {
            System.clearProperty("spark.hadoop.fs.s3a.connection.ssl.enabled");
        }
    }
}
