package io.surnn.prep.tasks.mnist;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.HadoopPaths;
import io.surnn.prep.core.LabelledSeq;
import io.surnn.prep.core.SequenceRows;
import io.surnn.prep.core.TruncatedInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code surnn prep mnist}: sequential MNIST (sMNIST) and, with {@code --permuted}, permuted
 * sequential MNIST (pMNIST) from the IDX files.
 *
 * <p>Each image becomes its 784 pixel values (0..255, row-major; vocabulary 256, no padding) and its
 * digit. pMNIST reorders every image by one fixed permutation, {@link PixelPermutation#of}(784,
 * --seed) (default seed 42), recorded in the manifest. Splits: test = the 10,000 t10k images; the
 * 60,000 training images give train = the first 60,000 − V and valid = the last V
 * ({@code --valid-size}, default 5,000; 0 = no validation split). Each IDX file is gzip or plain and
 * cannot be split, so one task streams each split's pair of files and the writer spreads the
 * records over the shards. A label that is not a digit is a bad record (file and byte offset);
 * a file that ends early, or images and labels files that disagree on the count, stop the job.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = {"Sequential MNIST (784 pixels per image) from the IDX files; --permuted for pMNIST.",
                "Splits: train 55,000 / valid 5,000 (last of the training file) / test 10,000."})
public final class MnistCommand extends PrepCommand {
    @Option(names = "--input", required = true, paramLabel = "DIR",
            description = "Folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-….")
    String input;

    @Option(names = "--permuted", description = "Permute the pixels of every image by one fixed permutation "
            + "drawn from --seed (pMNIST).")
    boolean permuted;

    @Option(names = "--valid-size", paramLabel = "V", defaultValue = "5000",
            description = "Last V training images form the validation split (0: none). Default: ${DEFAULT-VALUE}.")
    int validSize;

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        ctx.requireInput(input, "--input");
        Configuration conf = ctx.hadoopConf();
        MnistFiles files;
        int trainCount;
        int pixels;
        // Headers only: finds missing files, wrong magic numbers and count mismatches before any task runs.
        try {
            files = MnistFiles.find(conf, input);
            try (MnistPairReader train = open(conf, files.train); MnistPairReader test = open(conf, files.test)) {
                trainCount = train.count();
                pixels = train.pixelsPerImage();
                if (test.pixelsPerImage() != pixels) {
                    throw new PrepException(files.test.images + ": images have " + test.pixelsPerImage()
                            + " pixels, the training images " + pixels);
                }
            }
        } catch (IOException e) {
            throw new PrepException(e.getMessage(), e);
        }
        if (validSize < 0 || validSize >= trainCount) {
            throw new PrepException("--valid-size must be in [0, " + trainCount + "), not " + validSize);
        }
        int[] perm = permuted ? PixelPermutation.of(pixels, ctx.options().seed) : null;

        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = 256;
        m.padId = -1;
        m.seqLen = pixels;
        m.numClasses = MnistPairReader.NUM_CLASSES;
        m.labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        m.sources.add(input);
        m.options.put("permuted", Boolean.toString(permuted));
        m.options.put("pixel_order", permuted ? "out[t] = pixels[p[t]], p = PixelPermutation.of(" + pixels
                + ", seed) (Fisher-Yates on java.util.SplittableRandom(seed))" : "row-major");
        if (permuted) {
            m.seed = ctx.options().seed;
            m.options.put("permutation_seed", Long.toString(ctx.options().seed));
        }
        m.options.put("valid_split", validSize == 0 ? "none" : "last " + validSize + " training images");

        SerializableConfiguration sconf = new SerializableConfiguration(conf);
        BadRecords bad = ctx.badRecords();
        int trainEnd = trainCount - validSize;
        write(ctx, DatasetFormat.TRAIN, stream(ctx, sconf, files.train, 0, trainEnd, perm, bad));
        if (validSize > 0) {
            write(ctx, DatasetFormat.VALID, stream(ctx, sconf, files.train, trainEnd, trainCount, perm, bad));
        }
        write(ctx, DatasetFormat.TEST, stream(ctx, sconf, files.test, 0, Integer.MAX_VALUE, perm, bad));
    }

    private static void write(PrepContext ctx, String split, JavaRDD<LabelledSeq> records) throws IOException {
        ctx.phase("mnist: " + split);
        ctx.writer().writeSplit(split, DatasetFormat.Kind.CLASSIFICATION, SequenceRows.classification(records), -1,
                ctx.options().shards);
    }

    private static JavaRDD<LabelledSeq> stream(PrepContext ctx, SerializableConfiguration conf, MnistFiles.Pair files,
                                               int from, int to, int[] perm, BadRecords bad) {
        return ctx.jsc().parallelize(List.of(files), 1)
                .mapPartitions(it -> new Records(open(conf.value(), it.next()), from, to, perm, bad));
    }

    static MnistPairReader open(Configuration conf, MnistFiles.Pair p) throws IOException {
        IdxReader images = openIdx(conf, p.images);
        try {
            return new MnistPairReader(images, openIdx(conf, p.labels));
        } catch (IOException | RuntimeException e) {
            images.close();
            throw e;
        }
    }

    private static IdxReader openIdx(Configuration conf, String uri) throws IOException {
        Path path = HadoopPaths.resolve(uri);
        return IdxReader.open(path.getFileSystem(conf).open(path), uri);
    }

    /** Records [from, to) of one split's files, in file order; closes the files at the end. */
    private static final class Records implements Iterator<LabelledSeq> {
        private final MnistPairReader reader;
        private final int to;
        private final int[] perm;
        private final BadRecords bad;
        private LabelledSeq next;
        private boolean done;

        Records(MnistPairReader reader, int from, int to, int[] perm, BadRecords bad) throws IOException {
            this.reader = reader;
            this.to = to;
            this.perm = perm;
            this.bad = bad;
            int[] label = new int[1];
            while (reader.hasNext() && reader.position() < from) {
                reader.nextPixels(label);
            }
        }

        @Override
        public boolean hasNext() {
            if (done) {
                return next != null;
            }
            try {
                int[] label = new int[1];
                while (next == null && reader.hasNext() && reader.position() < to) {
                    long offset = reader.labelOffset();
                    int[] px = reader.nextPixels(label);
                    if (label[0] >= MnistPairReader.NUM_CLASSES) {
                        bad.handle(new BadRecordException(reader.labelsFile(), "byte offset " + offset,
                                "label is not a digit 0..9", "label " + label[0]));
                        continue;
                    }
                    next = new LabelledSeq(perm == null ? px : PixelPermutation.apply(px, perm), label[0]);
                }
                if (next == null) {
                    done = true;
                    reader.close();
                }
                return next != null;
            } catch (TruncatedInputException e) {
                closeQuietly();
                bad.handle(new BadRecordException(e.file(), "byte offset " + e.offset(), "truncated file", e.detail()));
                return false;
            } catch (IOException e) {
                closeQuietly();
                throw new PrepException(e.getMessage(), e);
            }
        }

        private void closeQuietly() {
            done = true;
            try {
                reader.close();
            } catch (IOException ignored) {
                // already failing
            }
        }

        @Override
        public LabelledSeq next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            LabelledSeq out = next;
            next = null;
            return out;
        }
    }
}
