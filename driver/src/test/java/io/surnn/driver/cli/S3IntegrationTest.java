package io.surnn.driver.cli;

import static io.surnn.driver.testutil.DriverCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import io.surnn.prep.PrepMain;
import io.surnn.prep.format.HadoopSettings;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * s3a:// end to end against an S3-compatible server on 127.0.0.1: S3Proxy (in-memory store), started
 * by this class as a child JVM from the jar Maven copies to {@code target/s3proxy} (its path comes in
 * as the system property {@code surnn.s3proxy.jar}). {@code prep} writes a dataset to the bucket,
 * {@code train} reads it and writes checkpoints, model and report there, {@code train --resume}
 * continues from the bucket's checkpoint, {@code evaluate} reads model and data from the bucket.
 *
 * <p>No file holds a client key: the random keys and the endpoint reach S3A as {@code spark.hadoop.*}
 * system properties of this JVM (what {@code -D} in SURNN_JAVA_OPTS or spark-submit's {@code --conf}
 * do), which both Spark and the driver's own file access ({@link HadoopSettings}) read. The training
 * runs also name the endpoint with {@code --set spark.conf."spark.hadoop..."}, the run-config route
 * (which {@code SparkConfigTest} pins on its own: in one JVM, Hadoop's file system cache hands every
 * command the S3A instance the first one opened).
 */
class S3IntegrationTest {
    private static final String BUCKET = "surnn-it";
    private static final String ROOT = "s3a://" + BUCKET;

    @TempDir
    static java.nio.file.Path tmp;
    static Process server;
    static String endpoint;
    static final Map<String, String> PROPS = new LinkedHashMap<>();

    @BeforeAll
    static void startServer() throws Exception {
        String jar = System.getProperty("surnn.s3proxy.jar");
        assumeTrue(jar != null && Files.isRegularFile(java.nio.file.Path.of(jar)),
                "S3IntegrationTest skipped: no S3Proxy jar at " + jar
                        + " (the driver build copies org.gaul:s3proxy:jar-with-dependencies there; run through mvn)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        endpoint = "http://127.0.0.1:" + port;
        SecureRandom rnd = new SecureRandom();
        String identity = "it" + HexFormat.of().formatHex(rnd.generateSeed(6));
        String credential = HexFormat.of().formatHex(rnd.generateSeed(16));
        // The server's own settings file: where it listens and which key it accepts. No client reads it.
        java.nio.file.Path props = tmp.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + identity,
                "s3proxy.credential=" + credential,
                "jclouds.provider=transient",
                "jclouds.identity=" + identity,
                "jclouds.credential=" + credential, ""));
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(javaBin, "-Xmx512m", "-jar", jar, "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("s3proxy.log").toFile()).start();
        awaitPort(port, 90);

        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint, "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(identity, credential)))
                .build();
        try {
            s3.createBucket(BUCKET);
        } finally {
            s3.shutdown();
        }

        PROPS.put("spark.hadoop.fs.s3a.access.key", identity);
        PROPS.put("spark.hadoop.fs.s3a.secret.key", credential);
        PROPS.put("spark.hadoop.fs.s3a.endpoint", endpoint);
        PROPS.put("spark.hadoop.fs.s3a.path.style.access", "true");
        PROPS.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        // a wrong setting should fail the test in seconds, not after S3A's default minutes of retries
        PROPS.put("spark.hadoop.fs.s3a.attempts.maximum", "2");
        PROPS.put("spark.hadoop.fs.s3a.retry.limit", "2");
        PROPS.forEach(System::setProperty);
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (!PROPS.isEmpty()) {
                // the cached S3A instance points at this server; later test classes get a fresh one
                new Path(ROOT + "/").getFileSystem(HadoopSettings.current()).close();
            }
        } finally {
            PROPS.keySet().forEach(System::clearProperty);
            if (server != null) {
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    @Test
    void prepTrainResumeAndEvaluateOnTheBucket() throws IOException {
        // prep: a small ListOps dataset straight into the bucket
        ByteArrayOutputStream prepOut = new ByteArrayOutputStream();
        ByteArrayOutputStream prepErr = new ByteArrayOutputStream();
        int rc = PrepMain.run(null, new PrintStream(prepOut, true, StandardCharsets.UTF_8),
                new PrintStream(prepErr, true, StandardCharsets.UTF_8),
                "listops", "--output", ROOT + "/data", "--train", "160", "--val", "32", "--test", "32",
                "--min-length", "5", "--max-length", "24", "--shards", "2", "--master", "local[2]", "--quiet");
        assertEquals(0, rc, prepErr.toString(StandardCharsets.UTF_8));
        assertTrue(prepOut.toString(StandardCharsets.UTF_8).contains("wrote " + ROOT + "/data"), prepOut.toString());
        FileSystem fs = new Path(ROOT + "/").getFileSystem(HadoopSettings.current());
        assertTrue(fs.exists(new Path(ROOT + "/data/manifest.json")), "manifest on the bucket");

        // train: reads the bucket, writes checkpoints, model and report to it
        String conf = System.getProperty("surnn.repo.root") + "/conf/listops-tiny.conf";
        List<String> common = List.of("--config", conf, "--set", "data.path=" + ROOT + "/data",
                "--set", "output.dir=" + ROOT + "/run", "--set", "train.workers=2", "--set", "train.warmup-steps=0",
                "--set", "checkpoint.every-rounds=1", "--set", "spark.master=\"local[2]\"",
                "--set", "spark.conf.\"spark.ui.enabled\"=false",
                "--set", "spark.conf.\"spark.hadoop.fs.s3a.endpoint\"=\"" + endpoint + "\"");
        Object[] r = run(args("train", common, "--set", "train.max-steps=4"));
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("step 4/4"), (String) r[1]);
        for (String f : List.of("metrics.jsonl", "metrics.json", "report.html", "model/model.zip", "model/model.json")) {
            assertTrue(fs.exists(new Path(ROOT + "/run/" + f)), f + " on the bucket");
        }
        FileStatus[] checkpoints = fs.listStatus(new Path(ROOT + "/run/checkpoints"));
        assertTrue(checkpoints.length > 0, "checkpoints on the bucket");

        // train --resume: a larger step budget continues from the bucket's step-4 checkpoint
        Object[] resumed = run(args("train", common, "--set", "train.max-steps=8", "--resume"));
        assertEquals(0, resumed[0], (String) resumed[2]);
        String rs = (String) resumed[1];
        assertTrue(rs.contains("resuming from " + ROOT + "/run/checkpoints/") && rs.contains("step 4)"), rs);
        assertTrue(rs.contains("step 8/8") && !rs.contains("step 2/8"), rs);

        // evaluate: model and data from the bucket
        Object[] ev = run("evaluate", "--model", ROOT + "/run/model", "--data", ROOT + "/data", "--master", "local[2]");
        assertEquals(0, ev[0], (String) ev[2]);
        assertTrue(((String) ev[1]).lines().anyMatch(l -> l.startsWith("test: accuracy")), (String) ev[1]);
        assertFalse(((String) ev[2]).contains("Exception"), (String) ev[2]);
    }

    private static String[] args(String command, List<String> common, String... more) {
        List<String> a = new ArrayList<>();
        a.add(command);
        a.addAll(common);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void awaitPort(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + server.exitValue() + ": "
                        + Files.readString(tmp.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within " + seconds + " s: "
                + Files.readString(tmp.resolve("s3proxy.log")));
    }
}
