package io.surnn.driver.cli;

import io.surnn.ops.models.Networks;
import io.surnn.driver.train.ModelDirectory;
import io.surnn.driver.export.NpzParams;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code export --model DIR --out DIR [--overwrite]}: parameters as .npz plus the network's JSON
 * configuration. The model directory is verified first ({@link ModelDirectory#open}). The files are
 * written to a temporary sibling folder and renamed into place; an existing non-empty {@code --out}
 * is refused unless {@code --overwrite}, which replaces it only once the new export is complete.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model's parameters as params.npz (one array per layer parameter, e.g. layer1_rnn0/W)",
                "and its DL4J JSON configuration as configuration.json, plus the run's config.conf and,",
                "for token models, vocab.txt."})
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Local folder to write (created).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing non-empty --out folder (after the new export is complete).")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Path target = out.toAbsolutePath().normalize();
        requireFreeOrOverwrite(target, overwrite);
        ModelDirectory md = model.open();
        Model net = md.network();
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("--out " + out + ": must not be a file system root");
        }
        Files.createDirectories(parent);
        String token = UUID.randomUUID().toString();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + token);
        try {
            Files.createDirectories(tmp);
            NpzParams.save(net, tmp.resolve("params.npz"));
            Files.writeString(tmp.resolve("configuration.json"), Networks.configurationJson(net), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("config.conf"), md.configText(), StandardCharsets.UTF_8);
            List<String> vocab = md.vocab();
            if (!vocab.isEmpty()) {
                Files.write(tmp.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);
            }
            replace(tmp, target, parent.resolve("." + target.getFileName() + ".old-" + token));
        } finally {
            deleteTree(tmp);
        }
        System.out.println("exported " + net.numParams() + " parameters to " + out.resolve("params.npz")
                + " and the configuration to " + out.resolve("configuration.json"));
        return 0;
    }

    /** Refuses a file at {@code target}, or a non-empty directory unless {@code overwrite}. */
    static void requireFreeOrOverwrite(Path target, boolean overwrite) throws IOException {
        if (Files.isRegularFile(target)) {
            throw new IllegalArgumentException("--out " + target + " is a file, not a folder");
        }
        if (!overwrite && Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + target
                            + " exists and is not empty; pass --overwrite to replace it, or choose another folder");
                }
            }
        }
    }

    private static void replace(Path tmp, Path target, Path old) throws IOException {
        boolean moved = false;
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (moved) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        if (moved) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
