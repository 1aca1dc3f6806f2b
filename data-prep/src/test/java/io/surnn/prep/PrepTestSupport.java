package io.surnn.prep;

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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared helpers for data-prep tests: a small local Spark, running prep in-process, shared data. */
public final class PrepTestSupport {
    private PrepTestSupport() {}

    /** A local session for one test class (stop it in @AfterAll). */
    public static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("data-prep-test")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .getOrCreate();
    }

    /** Result of one in-process {@code surnn prep} run. */
    public static final class Run {
        public final int code;
        public final String out;
        public final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    public static Run prep(SparkSession spark, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = PrepMain.run(spark, o, e, args);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A file or folder under the shared data directory; the test is skipped if it is absent. */
    public static Path sharedData(String relative) {
        String root = System.getProperty("surnn.shared.data", System.getenv("SURNN_SHARED_DATA"));
        assumeTrue(root != null, "shared data not configured: set -Dsurnn.shared.data or SURNN_SHARED_DATA to "
                + "the folder holding " + relative);
        Path p = Paths.get(root, relative);
        assumeTrue(Files.exists(p), "shared data missing: " + p + " (needed by this test)");
        return p;
    }

    /** A split's rows sorted by index. */
    public static List<Row> rows(SparkSession spark, Path dir, String split) throws IOException {
        DatasetDirectory d = DatasetDirectory.open(dir.toString());
        return new ArrayList<>(d.load(spark, split).orderBy("index").collectAsList());
    }

    public static int[] ints(Row r, String col) {
        List<Integer> l = r.getList(r.fieldIndex(col));
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }

    /** No file or folder directly under {@code parent} other than {@code allowed}. */
    public static List<String> entries(Path parent) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(parent)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}
