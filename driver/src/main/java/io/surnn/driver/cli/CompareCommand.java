package io.surnn.driver.cli;

import io.surnn.driver.report.RunComparison;
import io.surnn.prep.format.HadoopSettings;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code compare RUN_DIR RUN_DIR… [--out DIR]}: runs side by side in one HTML page. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare runs side by side: their training loss, validation metrics and throughput overlaid,",
                "final metrics, throughput and the configuration keys that differ in one table.",
                "Writes DIR/compare.html (self-contained) and DIR/charts/*.png. Runs still in progress compare",
                "with the events they have so far."})
public final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "RUN_DIR", description = "Run directories (output.dir of each run), any Hadoop URI.")
    List<String> runs;

    @Option(names = "--out", defaultValue = "compare", paramLabel = "DIR",
            description = "Where compare.html and its charts go. Default: ${DEFAULT-VALUE}.")
    String out;

    @Override
    public Integer call() throws Exception {
        Configuration hadoop = HadoopSettings.current();
        String page = RunComparison.read(runs, hadoop).write(out, hadoop);
        System.out.println("compared " + runs.size() + " runs: " + page);
        return 0;
    }
}
