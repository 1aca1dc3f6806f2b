package io.surnn.prep.tasks.imdb;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.ByteTokens;
import io.surnn.prep.core.FileTree;
import io.surnn.prep.core.LabelledSeq;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.core.SequenceRows;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

import java.util.List;
import java.util.Map;

/**
 * {@code surnn prep imdb}: LRA "Text" — byte-level IMDB sentiment from the aclImdb layout.
 *
 * <p>Input: the aclImdb directory (or any directory above {@code train/} and {@code test/}), or the
 * same tree as one .tar/.tar.gz. Reviews are {@code train|test/pos|neg/<id>_<rating>.txt}; all other
 * files (README, vocabularies, urls, {@code train/unsup}) are ignored. Each review becomes the byte ids
 * of its first {@code --max-len} bytes ({@link ByteTokens}: byte+1, 0 = padding); label neg 0, pos 1.
 * Splits: the official train and test (25,000 each); no validation split (LRA reports test
 * accuracy and has none). Record order within a split: by path (train/neg/…, then train/pos/…),
 * the same for a directory and an archive. Bad records (a file name that is not
 * {@code <id>_<rating>.txt}, a rating that does not fit its folder, an empty review) name the
 * input and the entry.
 */
@Command(name = "imdb", mixinStandardHelpOptions = true,
        description = {"LRA Text: byte-level IMDB reviews (aclImdb directory or .tar.gz), labels neg=0 pos=1.",
                "Splits: train 25,000, test 25,000 (official); no validation split."})
public final class ImdbCommand extends PrepCommand {
    public static final int DEFAULT_MAX_LEN = 4096;

    @Option(names = "--input", required = true, paramLabel = "DIR|FILE.tar.gz",
            description = "aclImdb directory or its .tar/.tar.gz archive (path or Hadoop URI).")
    String input;

    @Option(names = "--max-len", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_LEN,
            description = "Keep the first N bytes of each review (LRA paper: 4K; LRA's base config: 1000). "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxLen;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "8",
            description = "Spark partitions for parsing a directory / after streaming an archive. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        if (maxLen < 1) {
            throw new PrepException("--max-len must be ≥ 1, not " + maxLen);
        }
        if (partitions < 1) {
            throw new PrepException("--partitions must be ≥ 1, not " + partitions);
        }
        String in = ctx.requireInput(input, "--input").toString();
        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = ByteTokens.VOCAB_SIZE;
        m.padId = ByteTokens.PAD_ID;
        m.seqLen = maxLen;
        m.numClasses = 2;
        m.labels = List.of("neg", "pos");
        m.sources.add(input);
        m.options.put("level", "byte");
        m.options.put("encoding", "byte+1 (0 = padding)");
        m.options.put("truncation", "first " + maxLen + " bytes");
        m.options.put("valid_split", "none");

        ctx.phase("imdb: reading reviews from " + in);
        JavaPairRDD<String, byte[]> files = FileTree.rdd(ctx.jsc(), in, ImdbEntry::isReviewPath, partitions);
        BadRecords bad = ctx.badRecords();
        int max = maxLen;
        // One pass over the input: parse (bad records are counted here, once) and keep the result.
        JavaPairRDD<String, LabelledSeq> parsed = files
                .mapPartitionsToPair(it -> SequenceRows.mapNonNull(it, f -> parse(f, in, max, bad)))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            Map<String, Long> counts = parsed.map(t -> t._1().substring(0, t._1().indexOf('/'))).countByValue();
            for (String split : List.of(DatasetFormat.TRAIN, DatasetFormat.TEST)) {
                long n = counts.getOrDefault(split, 0L);
                if (n == 0) {
                    throw new PrepException(in + ": no reviews under " + split + "/pos or " + split
                            + "/neg (is this the aclImdb layout?)");
                }
                ctx.phase("imdb: writing " + split);
                String prefix = split + "/";
                ctx.writer().writeSplit(split, m.kind, SequenceRows.classificationSorted(
                        parsed.filter(t -> t._1().startsWith(prefix)), partitions), n, ctx.options().shards);
            }
        } finally {
            parsed.unpersist(false);
        }
    }

    /** Key "split/pos|neg/id" and record of one review file, or null if it is bad (and skipped). */
    private static Tuple2<String, LabelledSeq> parse(Tuple2<String, byte[]> f, String input, int maxLen,
                                                     BadRecords bad) {
        try {
            ImdbEntry e;
            try {
                e = ImdbEntry.parse(f._1());
            } catch (IllegalArgumentException ex) {
                throw new BadRecordException(input, "entry " + f._1(),
                        "not a review file name <id>_<rating>.txt with a rating that fits its folder", ex.getMessage());
            }
            if (f._2().length == 0) {
                throw new BadRecordException(input, "entry " + f._1(), "empty review");
            }
            String key = String.format("%s/%s/%010d", e.split, e.label == 1 ? "pos" : "neg", e.id);
            return new Tuple2<>(key, new LabelledSeq(ByteTokens.encode(f._2(), maxLen), e.label));
        } catch (BadRecordException ex) {
            bad.handle(ex);
            return null;
        }
    }
}
