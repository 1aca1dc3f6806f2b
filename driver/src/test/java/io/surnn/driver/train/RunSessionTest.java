package io.surnn.driver.train;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSessionTest {

    @Test
    void aClusterMasterWithoutSparkSubmitIsRefusedWithTheWayThatWorks() {
        SparkConf plain = new SparkConf(false).setMaster("spark://127.0.0.1:7077");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunSession.requireJarsShipped(plain));
        assertTrue(e.getMessage().startsWith("spark.master spark://127.0.0.1:7077: the executors would not get"), e.getMessage());
        assertTrue(e.getMessage().contains("submit-scripts/submit.sh --master spark://127.0.0.1:7077"), e.getMessage());
    }

    @Test
    void localMastersSparkSubmitAndExplicitJarsPass() {
        assertDoesNotThrow(() -> RunSession.requireJarsShipped(new SparkConf(false).setMaster("local[2]")));
        assertDoesNotThrow(() -> RunSession.requireJarsShipped(new SparkConf(false).setMaster("yarn")
                .set("spark.submit.deployMode", "client")));
        assertDoesNotThrow(() -> RunSession.requireJarsShipped(new SparkConf(false).setMaster("spark://h:7077")
                .set("spark.jars", "/app.jar")));
    }
}
