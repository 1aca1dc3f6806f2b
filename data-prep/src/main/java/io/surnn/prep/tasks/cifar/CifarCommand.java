package io.surnn.prep.tasks.cifar;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.core.FileTree;
import io.surnn.prep.core.Grayscale;
import io.surnn.prep.core.ImageDecoding;
import io.surnn.prep.core.LabelledSeq;
import io.surnn.prep.core.SequenceRows;
import io.surnn.prep.core.TruncatedInputException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code surnn prep cifar10}: LRA "Image" — CIFAR-10 as 1,024-pixel gray sequences.
 *
 * <p>Reads, from a directory or a .tar/.tar.gz, either the binary batches ({@code data_batch_1..5.bin},
 * {@code test_batch.bin}) or the image-folder layout ({@code train|test/<class>/*.png|jpg}); class
 * folders map to CIFAR's official ids ({@link CifarClasses}). Pixels: {@link Grayscale} (LRA's
 * {@code tf.image.rgb_to_grayscale} then cast), row-major, vocabulary 256, no padding.
 *
 * <p>Records are keyed {@code split/group/name} (group = class id for images, "bin" for batches;
 * name = file name, or batch file and record number) and written in key order. Validation: LRA uses
 * TFDS {@code train[90%:]}, i.e. the last 5,000 training records in batch order; here the last
 * {@code --valid-fraction} of each group in key order: for batches exactly that slice, for the
 * image-folder layout (whose global order is lost) the last 10% of each class, 500 per class.
 * Bad records: an unreadable image, an image that is not 32×32, an unknown class folder, a label
 * byte ≥ 10, a batch file that ends inside a record (file and byte offset).
 */
@Command(name = "cifar10", mixinStandardHelpOptions = true,
        description = {"LRA Image: CIFAR-10 as 1,024-step gray pixel sequences, from binary batches or "
                + "train|test/<class>/*.png|jpg (directory or .tar.gz).",
                "Splits: train 45,000 / valid 5,000 / test 10,000 (valid = last 10%% of train, per class for image folders)."})
public final class CifarCommand extends PrepCommand {
    static final int SIDE = 32;

    @Option(names = "--input", required = true, paramLabel = "DIR|FILE.tar.gz",
            description = "Folder or archive with data_batch_*.bin/test_batch.bin, or train|test/<class>/ images.")
    String input;

    @Option(names = "--valid-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of each training group held out as valid (0: none). Default: ${DEFAULT-VALUE}.")
    double validFraction;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "8",
            description = "Spark partitions for decoding and sorting. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        if (!(validFraction >= 0 && validFraction < 1)) {
            throw new PrepException("--valid-fraction must be in [0, 1), not " + validFraction);
        }
        if (partitions < 1) {
            throw new PrepException("--partitions must be ≥ 1, not " + partitions);
        }
        String in = ctx.requireInput(input, "--input").toString();
        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = 256;
        m.padId = -1;
        m.seqLen = SIDE * SIDE;
        m.numClasses = 10;
        m.labels = CifarClasses.NAMES;
        m.sources.add(input);
        m.options.put("grayscale", "floor(255.5 * (0.2989 r + 0.5870 g + 0.1140 b) / 255) in float32 "
                + "(tf.image.rgb_to_grayscale on uint8)");
        m.options.put("valid_split", validFraction == 0 ? "none"
                : "last " + validFraction + " of each training group (batches: of the batch stream; folders: of each class)");

        ctx.phase("cifar10: decoding " + in);
        BadRecords bad = ctx.badRecords();
        JavaPairRDD<String, LabelledSeq> parsed = FileTree.rdd(ctx.jsc(), in, CifarEntry::isWanted, partitions)
                .flatMapToPair(f -> records(in, f._1(), f._2(), bad))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            Map<String, Long> groups = parsed.mapToPair(t -> new Tuple2<>(group(t._1()), 1L)).reduceByKey(Long::sum)
                    .collectAsMap();
            long trainAll = count(groups, "train/"), test = count(groups, "test/");
            if (trainAll == 0 || test == 0) {
                throw new PrepException(in + ": found " + trainAll + " training and " + test + " test images; "
                        + "expected data_batch_*.bin + test_batch.bin, or train/<class>/ and test/<class>/ image folders");
            }
            Broadcast<Set<String>> valid = ctx.jsc().broadcast(validKeys(parsed, groups, validFraction));
            long nValid = valid.value().size();
            write(ctx, DatasetFormat.TRAIN, parsed.filter(t -> t._1().startsWith("train/")
                    && !valid.value().contains(t._1())), trainAll - nValid);
            if (nValid > 0) {
                write(ctx, DatasetFormat.VALID, parsed.filter(t -> valid.value().contains(t._1())), nValid);
            }
            write(ctx, DatasetFormat.TEST, parsed.filter(t -> t._1().startsWith("test/")), test);
        } finally {
            parsed.unpersist(false);
        }
    }

    private void write(PrepContext ctx, String split, JavaPairRDD<String, LabelledSeq> records, long n)
            throws IOException {
        ctx.phase("cifar10: writing " + split);
        ctx.writer().writeSplit(split, DatasetFormat.Kind.CLASSIFICATION,
                SequenceRows.classificationSorted(records, partitions), n, ctx.options().shards);
    }

    private static long count(Map<String, Long> groups, String prefix) {
        return groups.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    /** "split/group" of a record key "split/group/name". */
    static String group(String key) {
        return key.substring(0, key.indexOf('/', key.indexOf('/') + 1));
    }

    /** Keys of the last round(fraction·n_g) training records of each group g, in key order. */
    private static Set<String> validKeys(JavaPairRDD<String, LabelledSeq> parsed, Map<String, Long> groups,
                                         double fraction) {
        if (fraction == 0) {
            return Set.of();
        }
        Map<String, Long> counts = new java.util.HashMap<>(groups);
        // One pass over the keys only: per training group, sort its keys and keep the last ones.
        List<String> last = parsed.keys().filter(k -> k.startsWith("train/"))
                .mapToPair(k -> new Tuple2<>(group(k), k))
                .groupByKey()
                .flatMap(g -> {
                    List<String> names = new ArrayList<>();
                    g._2().forEach(names::add);
                    Collections.sort(names);
                    int take = (int) Math.round(fraction * counts.get(g._1()));
                    return names.subList(names.size() - take, names.size()).iterator();
                })
                .collect();
        return new HashSet<>(last);
    }

    /** The records of one input file: one for an image, up to 10,000 for a batch file. */
    static Iterator<Tuple2<String, LabelledSeq>> records(String input, String name, byte[] content, BadRecords bad) {
        if (CifarEntry.isBatch(name)) {
            return batchRecords(input, name, content, bad).iterator();
        }
        Tuple2<String, LabelledSeq> r = imageRecord(input, name, content, bad);
        return r == null ? Collections.emptyIterator() : List.of(r).iterator();
    }

    private static Tuple2<String, LabelledSeq> imageRecord(String input, String name, byte[] content, BadRecords bad) {
        CifarEntry.Image img = CifarEntry.image(name);
        String where = FileTree.isArchive(input) ? input : FileTree.join(input, name);
        String loc = FileTree.isArchive(input) ? "entry " + name : "file";
        try {
            int label = CifarClasses.idOf(img.className);
            if (label < 0) {
                throw new BadRecordException(where, loc, "class folder is not a CIFAR-10 class",
                        "'" + img.className + "'; expected one of " + CifarClasses.NAMES);
            }
            int[] gray;
            try {
                gray = ImageDecoding.gray(content, name, SIDE, SIDE);
            } catch (IOException e) {
                throw new BadRecordException(where, loc, e.getMessage().contains("expected " + SIDE + "x" + SIDE)
                        ? "image is not 32x32" : "unreadable image", e.getMessage());
            }
            String key = String.format("%s/c%02d/%s", img.split, label, img.nameKey);
            return new Tuple2<>(key, new LabelledSeq(gray, label));
        } catch (BadRecordException e) {
            bad.handle(e);
            return null;
        }
    }

    private static List<Tuple2<String, LabelledSeq>> batchRecords(String input, String name, byte[] content,
                                                                  BadRecords bad) {
        String split = CifarEntry.batchSplit(name);
        String batch = CifarEntry.batchName(name);
        String where = FileTree.isArchive(input) ? input + " entry " + name : FileTree.join(input, name);
        List<Tuple2<String, LabelledSeq>> out = new ArrayList<>(content.length / CifarBinaryReader.RECORD_BYTES);
        try (CifarBinaryReader r = new CifarBinaryReader(new ByteArrayInputStream(content), where)) {
            int[] label = new int[1];
            while (true) {
                long offset = r.offset();
                int record = r.records();
                int[] gray;
                try {
                    gray = r.next(label);
                } catch (TruncatedInputException e) {
                    bad.handle(new BadRecordException(where, "byte offset " + e.offset(), "truncated file", e.detail()));
                    break;
                }
                if (gray == null) {
                    break;
                }
                if (label[0] >= 10) {
                    bad.handle(new BadRecordException(where, "byte offset " + offset, "label byte is not 0..9",
                            "label " + label[0] + " of record " + record));
                    continue;
                }
                out.add(new Tuple2<>(String.format("%s/bin/%s/%06d", split, batch, record), new LabelledSeq(gray, label[0])));
            }
        } catch (IOException e) {
            throw new PrepException(where + ": " + e.getMessage(), e);
        }
        return out;
    }
}
