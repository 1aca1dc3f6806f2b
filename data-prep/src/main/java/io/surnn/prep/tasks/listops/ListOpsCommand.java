package io.surnn.prep.tasks.listops;

import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.util.List;

/**
 * {@code surnn prep listops}: LRA ListOps as a classification dataset, either generated
 * ({@link ListOpsGenerator}, the LRA generator's distribution; optionally also written as the
 * official TSV files) or read from official TSV files ({@code --input}).
 */
@Command(name = "listops", mixinStandardHelpOptions = true,
        description = {"LRA ListOps (10-way classification of nested MIN/MAX/MED/SM expressions): generate it "
                + "as the LRA generator does (default 96,000/2,000/2,000 distinct trees, 500 < length < 2000), "
                + "or read the official basic_{train,val,test}.tsv with --input.",
                "Tokens as LRA encodes them: parentheses dropped, ] written X; vocabulary 0 <pad>, 1-10 digits, "
                        + "11-14 [MIN [MAX [MED [SM, 15 X."})
public final class ListOpsCommand extends PrepCommand {

    @Option(names = "--input", paramLabel = "DIR|URI",
            description = "Read DIR/basic_{train,val,test}.tsv instead of generating.")
    String input;

    @Option(names = "--tsv", description = "Also write the generated data as DIR/tsv/basic_{train,val,test}.tsv.")
    boolean tsv;

    @Option(names = "--train", paramLabel = "N", defaultValue = "96000", description = "Default: ${DEFAULT-VALUE}.")
    long train;

    @Option(names = {"--val", "--valid"}, paramLabel = "N", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    long val;

    @Option(names = "--test", paramLabel = "N", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    long test;

    @Option(names = "--min-length", paramLabel = "N", defaultValue = "500",
            description = "Generated trees have length > N (tokens without parentheses). Default: ${DEFAULT-VALUE}.")
    int minLength;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "2000",
            description = "Generated trees have length < N; read rows longer than N are bad records; also the "
                    + "manifest's seq_len. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--max-depth", paramLabel = "N", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int maxDepth;

    @Option(names = "--max-args", paramLabel = "N", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int maxArgs;

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = ListOpsVocab.TOKENS.size();
        m.vocabFile = DatasetFormat.VOCAB_FILE;
        m.padId = ListOpsVocab.PAD_ID;
        m.seqLen = maxLength;
        m.numClasses = 10;
        for (int d = 0; d <= 9; d++) m.labels.add(Integer.toString(d));
        ctx.writer().writeVocab(ListOpsVocab.TOKENS);
        if (input != null) {
            if (tsv) throw new IllegalArgumentException("--tsv writes generated data; it cannot be used with --input");
            readTsv(ctx, m);
        } else {
            generate(ctx, m);
        }
    }

    private void readTsv(PrepContext ctx, DatasetManifest m) throws Exception {
        Path dir = ctx.requireInput(input, "--input");
        List<Path> files = ListOpsTsv.files(dir.getFileSystem(ctx.hadoopConf()), dir);
        m.options.put("source", "tsv");
        m.options.put("max_length", Integer.toString(maxLength));
        for (int s = 0; s < 3; s++) {
            String split = DatasetFormat.SPLITS.get(s);
            ctx.splitInput(split, files.get(s));
            m.sources.add(files.get(s).toString());
            ctx.phase(split + ": reading " + files.get(s).getName());
            long[] count = new long[1];
            JavaRDD<Row> rows = ListOpsTsv.read(ctx.jsc(), files.get(s), maxLength, ctx.badRecords(), count);
            ctx.writer().writeSplit(split, m.kind, rows, count[0], common.shards);
        }
    }

    private void generate(PrepContext ctx, DatasetManifest m) throws Exception {
        long[] n = {train, val, test};
        for (long c : n) if (c < 0) throw new IllegalArgumentException("record counts must be >= 0, not " + c);
        ListOpsGenerator gen = new ListOpsGenerator(common.seed, minLength, maxLength, maxDepth, maxArgs);
        m.seed = common.seed;
        m.sources.add("generator:listops");
        m.options.put("source", "generator");
        m.options.put("min_length", Integer.toString(minLength));
        m.options.put("max_length", Integer.toString(maxLength));
        m.options.put("max_depth", Integer.toString(maxDepth));
        m.options.put("max_args", Integer.toString(maxArgs));
        ctx.phase("generating and de-duplicating " + (n[0] + n[1] + n[2]) + " trees");
        ListOpsGenerator.Plan plan = gen.plan(ctx.jsc(), n[0] + n[1] + n[2]);
        m.options.put("duplicates_dropped", Integer.toString(plan.losers.size()));
        long from = 0;
        for (int s = 0; s < 3; s++) {
            String split = DatasetFormat.SPLITS.get(s);
            long start = from;
            JavaRDD<ListOpsGenerator.Example> ex = gen.examples(ctx.jsc(), plan, start, start + n[s]);
            ctx.phase(split + ": " + n[s] + " examples");
            JavaRDD<Row> rows = ex.map(e -> RowFactory.create(e.rank - start, e.tokens, e.label));
            ctx.writer().writeSplit(split, m.kind, rows, n[s], common.shards);
            if (tsv) {
                ctx.phase(split + ": writing tsv/" + ListOpsTsv.FILES.get(s));
                try (OutputStream os = ctx.writer().createExtra("tsv/" + ListOpsTsv.FILES.get(s))) {
                    ListOpsTsv.write(os, ex.toLocalIterator());   // partition by partition, in rank order
                }
            }
            from += n[s];
        }
    }
}
