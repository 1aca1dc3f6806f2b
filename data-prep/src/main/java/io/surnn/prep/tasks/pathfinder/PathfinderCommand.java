package io.surnn.prep.tasks.pathfinder;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.Npy;
import io.surnn.prep.core.ImageDecoding;
import io.surnn.prep.core.FileTree;
import io.surnn.prep.core.LabelledSeq;
import io.surnn.prep.core.SequenceRows;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * {@code surnn prep pathfinder}: LRA "Pathfinder" (32×32) as 1,024-pixel sequences, generated or read.
 *
 * <p>Generated (default): {@link PathfinderGenerator} with the --difficulty's settings; image i of a
 * split depends only on (--seed, split, i), so any partitioning gives the same bytes; labels are
 * exactly balanced (one positive per pair of indices). The first --samples train images are also
 * written as PNGs with {@code samples/labels.csv} for a person to look at.
 *
 * <p>With {@code --input DIR}: the official layout, {@code metadata/<k>.npy} (rows
 * [subpath, filename, n, label, …], see PATHFINDER_SPEC.md) and the PNGs at
 * {@code DIR/<subpath>/<filename>}. Metadata files are taken in numeric order of k, rows in file
 * order, and cut 80/10/10 into train/valid/test as LRA does. The metadata (not the images) is read
 * on the driver; images are decoded by the tasks. An unreadable or wrongly sized image is a bad record.
 */
@Command(name = "pathfinder", mixinStandardHelpOptions = true,
        description = {"LRA Pathfinder-32: generate images (hard split by default, balanced labels, seeded), "
                + "or read the official imgs/ + metadata/*.npy layout with --input.",
                "Generated splits: --train/--valid/--test images (default 160,000 / 20,000 / 20,000 = LRA's 80/10/10 of 200k)."})
public final class PathfinderCommand extends PrepCommand {
    @Option(names = "--input", paramLabel = "DIR",
            description = "Read official Pathfinder data (metadata/*.npy + images) instead of generating.")
    String input;

    @Option(names = "--difficulty", paramLabel = "easy|intermediate|hard", defaultValue = "hard",
            description = "Contour length 6 / 9 / 14 (LRA: hard). Default: ${DEFAULT-VALUE}.")
    String difficulty;

    @Option(names = "--train", paramLabel = "N", defaultValue = "160000", description = "Generated training images. Default: ${DEFAULT-VALUE}.")
    long train;

    @Option(names = "--valid", paramLabel = "N", defaultValue = "20000", description = "Generated validation images. Default: ${DEFAULT-VALUE}.")
    long valid;

    @Option(names = "--test", paramLabel = "N", defaultValue = "20000", description = "Generated test images. Default: ${DEFAULT-VALUE}.")
    long test;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "16",
            description = "Write the first K generated training images to samples/ as PNG (0: none). Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--sample-scale", paramLabel = "S", defaultValue = "8",
            description = "Enlarge sample PNGs S times (nearest neighbour). Default: ${DEFAULT-VALUE}.")
    int sampleScale;

    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "32",
            description = "Side of the images read with --input. Default: ${DEFAULT-VALUE}.")
    int imageSize;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "8",
            description = "Spark partitions per split. Default: ${DEFAULT-VALUE}.")
    int partitions;

    static final List<String> SPLITS = List.of(DatasetFormat.TRAIN, DatasetFormat.VALID, DatasetFormat.TEST);

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        if (partitions < 1) {
            throw new PrepException("--partitions must be ≥ 1, not " + partitions);
        }
        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = 256;
        m.padId = -1;
        m.numClasses = 2;
        m.labels = List.of("disconnected", "connected");
        if (input != null) {
            readOfficial(ctx, m);
        } else {
            generate(ctx, m);
        }
    }

    private void generate(PrepContext ctx, DatasetManifest m) throws IOException {
        PathfinderParams params = new PathfinderParams(PathfinderParams.Difficulty.parse(difficulty));
        long[] counts = {train, valid, test};
        for (int s = 0; s < 3; s++) {
            if (counts[s] < 0 || (s != 1 && counts[s] == 0)) {
                throw new PrepException("--" + SPLITS.get(s) + " must be " + (s == 1 ? "≥ 0" : "≥ 1") + ", not " + counts[s]);
            }
        }
        if (samples < 0 || sampleScale < 1) {
            throw new PrepException("--samples must be ≥ 0 and --sample-scale ≥ 1");
        }
        long seed = ctx.options().seed;
        m.seqLen = params.size * params.size;
        m.seed = seed;
        m.sources.add("generator:pathfinder");
        m.options.putAll(params.describe());
        m.options.put("labels", "balanced: one positive in each index pair (2j, 2j+1)");
        for (int s = 0; s < 3; s++) {
            if (counts[s] == 0) {
                continue;
            }
            ctx.phase("pathfinder: generating " + counts[s] + " " + SPLITS.get(s) + " images");
            int split = s;
            long n = counts[s];
            int parts = (int) Math.max(1, Math.min(partitions, n));
            JavaRDD<Row> rows = ctx.jsc().parallelize(IntStream.range(0, parts).boxed().toList(), parts)
                    .flatMap(p -> {
                        PathfinderGenerator g = new PathfinderGenerator(params);
                        long from = n * p / parts, to = n * (p + 1) / parts;
                        return LongStream.range(from, to).mapToObj(i -> {
                            PathfinderImage img = g.generate(seed, split, i);
                            return RowFactory.create(i, img.pixels, img.label);
                        }).iterator();
                    });
            ctx.writer().writeSplit(SPLITS.get(s), m.kind, rows, n, ctx.options().shards);
        }
        writeSamples(ctx, params, seed);
    }

    /** samples/train_<i>_label<l>.png and samples/labels.csv, drawn again on the driver (K small images). */
    private void writeSamples(PrepContext ctx, PathfinderParams params, long seed) throws IOException {
        int k = (int) Math.min(samples, train);
        if (k == 0) {
            return;
        }
        PathfinderGenerator g = new PathfinderGenerator(params);
        try (PrintWriter csv = new PrintWriter(ctx.writer().createExtra("samples/labels.csv"), false,
                StandardCharsets.UTF_8)) {
            csv.println("file,split,index,label,marker1_x,marker1_y,marker2_x,marker2_y");
            for (int i = 0; i < k; i++) {
                PathfinderImage img = g.generate(seed, 0, i);
                String name = String.format("train_%05d_label%d.png", i, img.label);
                try (OutputStream out = ctx.writer().createExtra("samples/" + name)) {
                    PathfinderSamples.writePng(img.pixels, img.size, sampleScale, out);
                }
                csv.printf(java.util.Locale.ROOT, "%s,train,%d,%d,%.2f,%.2f,%.2f,%.2f%n", name, i, img.label,
                        img.marker1[0], img.marker1[1], img.marker2[0], img.marker2[1]);
            }
        }
    }

    /** One image of the official layout: where it is and its label. */
    static final class Item implements Serializable {
        private static final long serialVersionUID = 1L;
        final String path;
        final int label;

        Item(String path, int label) {
            this.path = path;
            this.label = label;
        }
    }

    private void readOfficial(PrepContext ctx, DatasetManifest m) throws IOException {
        Path root = ctx.requireInput(input, "--input");
        FileSystem fs = root.getFileSystem(ctx.hadoopConf());
        List<Item> items;
        try {
            items = readMetadata(fs, root);
        } catch (IOException e) {
            throw new PrepException(e.getMessage(), e);
        }
        m.seqLen = imageSize * imageSize;
        m.sources.add(input);
        m.options.put("split", "metadata order (files by number, rows in order) cut 80/10/10");
        int n = items.size();
        int[] cut = {0, (int) (n * 0.8), (int) (n * 0.9), n};
        SerializableConfiguration conf = new SerializableConfiguration(ctx.hadoopConf());
        BadRecords bad = ctx.badRecords();
        int side = imageSize;
        String rootUri = root.toString();
        for (int s = 0; s < 3; s++) {
            List<Item> part = items.subList(cut[s], cut[s + 1]);
            if (part.isEmpty()) {
                continue;
            }
            ctx.phase("pathfinder: reading " + part.size() + " " + SPLITS.get(s) + " images");
            JavaRDD<LabelledSeq> records = ctx.jsc().parallelize(new ArrayList<>(part),
                            Math.max(1, Math.min(partitions, part.size())))
                    .map(it -> {
                        byte[] bytes = FileTree.read(conf.value(), rootUri, it.path);
                        try {
                            return new LabelledSeq(ImageDecoding.gray(bytes, it.path, side, side), it.label);
                        } catch (IOException e) {
                            bad.handle(new BadRecordException(FileTree.join(rootUri, it.path), "file",
                                    e.getMessage().contains("expected") ? "image has the wrong size" : "unreadable image",
                                    e.getMessage()));
                            return null;
                        }
                    })
                    .filter(r -> r != null);
            ctx.writer().writeSplit(SPLITS.get(s), m.kind, SequenceRows.classification(records), -1,
                    ctx.options().shards);
        }
    }

    /** All metadata rows, files in numeric order of their name, as (relative image path, label). */
    static List<Item> readMetadata(FileSystem fs, Path root) throws IOException {
        Path meta = new Path(root, "metadata");
        if (!fs.exists(meta)) {
            throw new PrepException(root + ": no metadata/ folder (expected metadata/<k>.npy and imgs/<k>/*.png)");
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus st : fs.listStatus(meta)) {
            if (st.getPath().getName().endsWith(".npy")) {
                files.add(st);
            }
        }
        if (files.isEmpty()) {
            throw new PrepException(meta + ": no .npy files");
        }
        files.sort(Comparator.comparing((FileStatus st) -> numericStem(st.getPath().getName()))
                .thenComparing(st -> st.getPath().getName()));
        List<Item> items = new ArrayList<>();
        for (FileStatus st : files) {
            String name = "metadata/" + st.getPath().getName();
            String file = st.getPath().toString();
            Npy.Array a;
            try (var in = fs.open(st.getPath())) {
                a = Npy.read(in.readAllBytes(), file);
            }
            long[] shape = a.shape();
            if (a.fortranOrder()) {
                throw new IOException(file + ": Fortran-order arrays are not supported");
            }
            if (shape.length < 1 || shape.length > 2) {
                throw new IOException(file + ": expected a 1-D or 2-D array, shape " + Arrays.toString(shape));
            }
            int rows = (int) shape[0];
            int cols = shape.length == 2 ? (int) shape[1] : 1;
            if (cols < 4) {
                throw new PrepException(name + ": metadata rows have " + cols
                        + " columns; expected [subpath, filename, n, label, …]");
            }
            for (int r = 0; r < rows; r++) {
                String label = a.text(r * cols + 3);
                if (!label.equals("0") && !label.equals("1")) {
                    throw new PrepException(name + ": row " + r + ": label '" + label + "' is not 0 or 1");
                }
                String sub = a.text(r * cols);
                items.add(new Item((sub.isEmpty() ? "" : sub + "/") + a.text(r * cols + 1), Integer.parseInt(label)));
            }
        }
        return items;
    }

    private static long numericStem(String name) {
        String stem = name.substring(0, name.length() - ".npy".length());
        return stem.matches("\\d{1,18}") ? Long.parseLong(stem) : Long.MAX_VALUE;
    }
}
