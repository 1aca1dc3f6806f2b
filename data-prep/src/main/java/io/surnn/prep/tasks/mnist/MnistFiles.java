package io.surnn.prep.tasks.mnist;

import io.surnn.prep.format.HadoopPaths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the four MNIST IDX files in a directory: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or with {@code .gz}; the
 * dotted variant ({@code train-images.idx3-ubyte}) some mirrors use is accepted too.
 */
public final class MnistFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Images and labels file URIs of one split. */
    public static final class Pair implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String images;
        public final String labels;

        Pair(String images, String labels) {
            this.images = images;
            this.labels = labels;
        }
    }

    public final Pair train;
    public final Pair test;

    private MnistFiles(Pair train, Pair test) {
        this.train = train;
        this.test = test;
    }

    public static MnistFiles find(Configuration conf, String dir) throws IOException {
        Path root = HadoopPaths.resolve(dir);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
            throw new IOException(dir + ": not a directory (expected the folder holding the MNIST IDX files)");
        }
        List<String> names = new ArrayList<>();
        for (FileStatus st : fs.listStatus(root)) {
            names.add(st.getPath().getName());
        }
        return new MnistFiles(
                new Pair(pick(fs, root, names, "train-images", "idx3-ubyte"), pick(fs, root, names, "train-labels", "idx1-ubyte")),
                new Pair(pick(fs, root, names, "t10k-images", "idx3-ubyte"), pick(fs, root, names, "t10k-labels", "idx1-ubyte")));
    }

    private static String pick(FileSystem fs, Path root, List<String> names, String stem, String ext) throws IOException {
        for (String sep : List.of("-", ".")) {
            for (String gz : List.of("", ".gz")) {
                String want = stem + sep + ext + gz;
                if (names.contains(want)) {
                    return fs.makeQualified(new Path(root, want)).toString();
                }
            }
        }
        throw new IOException(root + ": missing " + stem + "-" + ext + " (or .gz); found " + names);
    }
}
