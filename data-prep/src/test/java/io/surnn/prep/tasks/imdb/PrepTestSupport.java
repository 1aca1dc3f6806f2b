package io.surnn.prep.tasks.imdb;

import io.surnn.prep.PrepMain;
import io.surnn.prep.core.SparkSessions;
import io.surnn.prep.format.DatasetDirectory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Helpers shared by the tests of h4's prep tasks: Spark, shared data, running a prep command. */
public final class PrepTestSupport {
    private PrepTestSupport() {}

    /** One local[2] session per test class (getOrCreate: classes in one JVM share it). */
    public static SparkSession spark() {
        return SparkSessions.start("local[2]", "surnn prep tests");
    }

    /** A file or folder under the shared data root; skips the test (with a message) when absent. */
    public static Path sharedData(String relative) {
        String root = System.getProperty("surnn.shared.data", System.getenv("SURNN_SHARED_DATA"));
        assumeTrue(root != null, "shared data root not set (system property surnn.shared.data or env "
                + "SURNN_SHARED_DATA); needed: " + relative);
        Path p = Paths.get(root, relative);
        assumeTrue(Files.exists(p), "shared data missing: " + p);
        return p;
    }

    /** Exit code and captured streams of one in-process prep run. */
    public static final class Result {
        public final int code;
        public final String out;
        public final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    public static Result prep(SparkSession spark, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PrepMain.run(spark, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The rows of a split, sorted by index. */
    public static List<Row> rows(SparkSession spark, Path dir, String split) throws IOException {
        return DatasetDirectory.open(dir.toString()).load(spark, split).orderBy("index").collectAsList();
    }

    public static int[] ints(Row r, String column) {
        List<Integer> l = r.getList(r.fieldIndex(column));
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True if nothing that looks like a dataset is at {@code dir} (absent, or no manifest.json). */
    public static boolean noDataset(Path dir) {
        return !Files.exists(dir.resolve("manifest.json"));
    }
}
