package io.surnn.prep.core;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.surnn.prep.PrepTestSupport.session;

/** Base of the task tests: one local[2] SparkSession per test class, and the no-output check. */
public abstract class PrepTaskTestBase {
    protected static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = session("local[2]");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** No complete dataset at {@code dir}: absent, or without the manifest (written last). */
    protected static boolean noDataset(Path dir) {
        return !Files.exists(dir.resolve("manifest.json"));
    }
}
