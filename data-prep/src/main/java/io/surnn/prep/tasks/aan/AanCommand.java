package io.surnn.prep.tasks.aan;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.HadoopPaths;
import io.surnn.prep.core.ByteTokens;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code surnn prep aan}: LRA "Retrieval" — pairs of ACL Anthology papers, byte-level, label 1 if one
 * cites the other.
 *
 * <p>Input: a folder with {@code new_aan_pairs.train.tsv}, {@code new_aan_pairs.eval.tsv} (→ valid,
 * optional) and {@code new_aan_pairs.test.tsv}, the files LRA's matching pipeline reads (5 columns:
 * label, id1, id2, text1, text2; see {@link AanRow}). Each text becomes its first {@code --max-len}
 * bytes as byte ids (LRA: 4,000 per side). Kind PAIR: (index, tokens, tokens2, label). Each file is
 * read line by line by one task, keeping file order and line numbers for errors; the writer spreads
 * the records over the shards. Bad rows (wrong column count, label not 0/1) name file and line.
 */
@Command(name = "aan", mixinStandardHelpOptions = true,
        description = {"LRA Retrieval: byte-level AAN citation pairs from new_aan_pairs.{train,eval,test}.tsv.",
                "Splits: train, valid (= eval), test, as in the files."})
public final class AanCommand extends PrepCommand {
    public static final String FILE_PATTERN = "new_aan_pairs.%s.tsv";

    @Option(names = "--input", required = true, paramLabel = "DIR",
            description = "Folder with new_aan_pairs.train.tsv, new_aan_pairs.eval.tsv (optional), new_aan_pairs.test.tsv.")
    String input;

    @Option(names = "--max-len", paramLabel = "N", defaultValue = "4000",
            description = "Keep the first N bytes of each text (LRA: 4000). Default: ${DEFAULT-VALUE}.")
    int maxLen;

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        if (maxLen < 1) {
            throw new PrepException("--max-len must be ≥ 1, not " + maxLen);
        }
        Path dir = ctx.requireInput(input, "--input");
        FileSystem fs = dir.getFileSystem(ctx.hadoopConf());
        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.PAIR;
        m.vocabSize = ByteTokens.VOCAB_SIZE;
        m.padId = ByteTokens.PAD_ID;
        m.seqLen = maxLen;
        m.numClasses = 2;
        m.labels = List.of("unrelated", "citation");
        m.sources.add(input);
        m.options.put("level", "byte");
        m.options.put("encoding", "byte+1 (0 = padding)");
        m.options.put("truncation", "first " + maxLen + " bytes of each text");

        SerializableConfiguration conf = new SerializableConfiguration(ctx.hadoopConf());
        BadRecords bad = ctx.badRecords();
        int max = maxLen;
        for (String[] split : new String[][]{{DatasetFormat.TRAIN, "train"}, {DatasetFormat.VALID, "eval"},
                {DatasetFormat.TEST, "test"}}) {
            Path file = new Path(dir, String.format(FILE_PATTERN, split[1]));
            if (!fs.exists(file)) {
                if (split[1].equals("eval")) {
                    ctx.log().println("[prep] aan: no " + file.getName() + ": no validation split");
                    continue;
                }
                throw new PrepException(input + ": missing " + file.getName());
            }
            ctx.splitInput(split[0], file);
            ctx.phase("aan: " + split[0] + " from " + file.getName());
            String uri = file.toString();
            JavaRDD<AanRow> pairs = ctx.jsc().parallelize(List.of(uri), 1)
                    .mapPartitions(it -> new Lines(conf.value(), it.next(), max, bad));
            JavaRDD<Row> rows = pairs.zipWithIndex()
                    .map(t -> RowFactory.create(t._2(), t._1().tokens1, t._1().tokens2, t._1().label));
            ctx.writer().writeSplit(split[0], m.kind, rows, -1, ctx.options().shards);
        }
    }

    /** The rows of one TSV file in order; bad rows go to the bad-record policy. */
    private static final class Lines implements Iterator<AanRow> {
        private final String file;
        private final BufferedReader reader;
        private final int maxLen;
        private final BadRecords bad;
        private long lineNo;
        private AanRow next;
        private boolean done;

        Lines(Configuration conf, String file, int maxLen, BadRecords bad) throws IOException {
            Path p = HadoopPaths.resolve(file);
            this.file = file;
            this.reader = new BufferedReader(new InputStreamReader(p.getFileSystem(conf).open(p), StandardCharsets.UTF_8),
                    1 << 20);
            this.maxLen = maxLen;
            this.bad = bad;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null && !done) {
                    String line = reader.readLine();
                    if (line == null) {
                        done = true;
                        reader.close();
                        break;
                    }
                    lineNo++;
                    if (line.endsWith("\r")) {
                        line = line.substring(0, line.length() - 1);
                    }
                    if (lineNo == 1 && AanRow.isHeader(line)) {
                        continue;
                    }
                    try {
                        next = AanRow.parse(line, file, lineNo, maxLen);
                    } catch (BadRecordException e) {
                        bad.handle(e);
                    }
                }
                return next != null;
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public AanRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            AanRow out = next;
            next = null;
            return out;
        }
    }
}
