package io.surnn.prep.tasks.copy;

import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.Seeds;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code surnn prep selective-copy}: generates the Selective Copying task (kind COPY). Each record
 * is seeded from (--seed, split, index), so the data are the same for any partitioning; records
 * are generated on the executors in chunks of {@value #CHUNK}.
 */
@Command(name = "selective-copy", mixinStandardHelpOptions = true,
        description = {"Generate the Selective Copying task (Mamba, Gu & Dao 2023): M data tokens scattered "
                + "among L noise positions, then M marker tokens; the targets are the data tokens in order.",
                "Defaults follow the Mamba setting: L=4096, vocabulary 16 (0 = noise, 15 = marker), 16 tokens."})
public final class SelectiveCopyCommand extends PrepCommand {
    static final int CHUNK = 1000;

    @Option(names = "--length", paramLabel = "L", defaultValue = "4096",
            description = "Noise positions L; the input has L+2M tokens. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--vocab", paramLabel = "A", defaultValue = "16",
            description = "Alphabet size A incl. noise (0) and marker (A-1). Default: ${DEFAULT-VALUE}.")
    int vocab;

    @Option(names = "--tokens", paramLabel = "M", defaultValue = "16",
            description = "Data tokens to copy. Default: ${DEFAULT-VALUE}.")
    int tokens;

    @Option(names = "--train", paramLabel = "N", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}.")
    long train;

    @Option(names = {"--valid", "--val"}, paramLabel = "N", defaultValue = "1000",
            description = "Default: ${DEFAULT-VALUE}.")
    long valid;

    @Option(names = "--test", paramLabel = "N", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    long test;

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        SelectiveCopyGenerator gen = new SelectiveCopyGenerator(length, vocab, tokens);
        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.COPY;
        m.vocabSize = vocab;
        m.vocabFile = DatasetFormat.VOCAB_FILE;
        m.seqLen = gen.sequenceLength();
        m.numClasses = vocab;
        m.seed = common.seed;
        m.sources.add("generator:selective-copy");
        m.options.putAll(Map.of("length", "" + length, "vocab", "" + vocab, "tokens", "" + tokens));
        long[] counts = {train, valid, test};
        for (int s = 0; s < 3; s++) {
            if (counts[s] < 0) throw new IllegalArgumentException("record counts must be >= 0, not " + counts[s]);
        }
        List<String> vocabList = new ArrayList<>();
        vocabList.add("<noise>");
        for (int t = 1; t < vocab - 1; t++) vocabList.add(Integer.toString(t));
        vocabList.add("<marker>");
        ctx.writer().writeVocab(vocabList);
        for (int s = 0; s < 3; s++) {
            String split = DatasetFormat.SPLITS.get(s);
            ctx.phase(split + ": generating " + counts[s] + " records");
            ctx.writer().writeSplit(split, m.kind, records(ctx, gen, s, counts[s], common.seed), counts[s],
                    common.shards);
        }
    }

    /** Records of split {@code s}, generated in fixed chunks on the executors. */
    static JavaRDD<Row> records(PrepContext ctx, SelectiveCopyGenerator gen, int s, long n, long seed) {
        List<Long> chunks = new ArrayList<>();
        for (long c = 0; c * CHUNK < n; c++) chunks.add(c);
        int parts = Math.max(1, Math.min(chunks.size(), ctx.jsc().defaultParallelism() * 2));
        return ctx.jsc().parallelize(chunks, parts).flatMap(c -> {
            List<Row> rows = new ArrayList<>();
            for (long i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                int[][] xy = gen.generate(Seeds.mix(seed, s, i));
                rows.add(RowFactory.create(i, xy[0], xy[1]));
            }
            return rows.iterator();
        });
    }
}
