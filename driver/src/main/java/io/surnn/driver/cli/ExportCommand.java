package io.surnn.driver.cli;

import io.surnn.driver.engine.Networks;
import io.surnn.driver.train.ModelDirectory;
import io.surnn.ops.io.NpzParams;
import io.surnn.prep.format.HadoopSettings;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code export --model DIR --out DIR}: parameters as .npz plus the network's JSON configuration. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model's parameters as params.npz (one array per layer parameter, e.g. layer1_rnn0/W)",
                "and its DL4J JSON configuration as configuration.json, plus vocab.txt and model.json."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory (<output.dir>/model).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Local folder to write (created).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelDirectory md = ModelDirectory.open(model, HadoopSettings.current());
        Model net = md.network();
        Files.createDirectories(out);
        NpzParams.save(net, out.resolve("params.npz"));
        Files.writeString(out.resolve("configuration.json"), Networks.configurationJson(net), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("config.conf"), md.configText(), StandardCharsets.UTF_8);
        List<String> vocab = md.vocab();
        if (!vocab.isEmpty()) {
            Files.write(out.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);
        }
        System.out.println("exported " + net.numParams() + " parameters to " + out.resolve("params.npz")
                + " and the configuration to " + out.resolve("configuration.json"));
        return 0;
    }
}
