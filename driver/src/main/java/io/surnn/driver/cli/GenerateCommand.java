package io.surnn.driver.cli;

import io.surnn.driver.generate.Sampler;
import io.surnn.driver.generate.TextCodec;
import io.surnn.driver.train.ModelDirectory;
import io.surnn.driver.data.DatasetProfile;
import io.surnn.ops.models.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code generate --model DIR --prompt TEXT [--tokens N --temperature T --top-k K --seed S]}: streamed text. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a WikiText language model, printing each token as it is drawn.")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Text to continue.")
    String prompt;

    @Option(names = "--tokens", defaultValue = "50", paramLabel = "N", description = "Tokens to generate. Default: ${DEFAULT-VALUE}.")
    int tokens;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T", description = "> 0; lower is greedier. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Sample among the K likeliest tokens (0 = all). Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (tokens < 1) {
            throw new IllegalArgumentException("--tokens must be >= 1, got " + tokens);
        }
        ModelDirectory md = model.open();
        if (!DatasetProfile.generates(md.info().kind)) {
            throw new IllegalArgumentException("--model " + model + " is a " + md.info().kind + " model; generate needs a language model");
        }
        List<String> vocab = md.vocab();
        TextCodec codec = new TextCodec(TextCodec.level(md.manifest().options.get("level")), vocab);
        MultiLayerNetwork net = Networks.requireMultiLayer(md.network(), "generate");
        Sampler sampler = new Sampler(net, temperature, topK, seed);
        PrintStream out = System.out;
        out.print(prompt);
        boolean[] first = {false};
        sampler.generate(codec.encode(prompt), tokens, id -> {
            out.print(codec.piece(id, first[0]));
            out.flush();
        });
        out.println();
        return 0;
    }
}
