package io.surnn.driver.cli;

import io.surnn.driver.train.ModelDirectory;
import io.surnn.prep.format.HadoopSettings;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * The {@code --model DIR} option every command that reads a trained model shares (evaluate,
 * generate, export), and the one way they open it: verified against its SHA256SUMS, on the Hadoop
 * file system the path names, with the {@code spark.hadoop.*} settings of this JVM.
 */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model directory (<output.dir>/model of a run), any Hadoop URI.")
    String dir;

    /** The verified model directory. */
    ModelDirectory open() throws IOException {
        return ModelDirectory.open(dir, HadoopSettings.current());
    }

    @Override
    public String toString() {
        return dir;
    }
}
