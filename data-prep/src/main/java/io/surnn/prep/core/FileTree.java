package io.surnn.prep.core;

import io.surnn.prep.format.HadoopPaths;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A tree of many small files given either as a directory or as one tar archive (.tar, .tar.gz,
 * .tgz), read through Hadoop's FileSystem so any URI scheme works. Used by the IMDB and CIFAR-10
 * image-folder readers, and by Pathfinder to read single images.
 *
 * <p>A directory is listed on the driver (names only) and its files are read by Spark tasks; an
 * archive cannot be split, so one task streams it entry by entry and the records are repartitioned
 * afterwards. Entry names are reported relative to the tree root, with '/' separators.
 */
public final class FileTree {
    private FileTree() {}

    /** A name filter that Spark can ship to executors. */
    public interface NameFilter extends Predicate<String>, Serializable {}

    /**
     * The files of {@code input} (directory or archive) as (relative name, content) pairs. A directory
     * is listed here and read in {@code partitions} tasks, in name order; an archive is streamed by one
     * task in archive order. Callers that need a fixed order sort by name afterwards.
     */
    public static JavaPairRDD<String, byte[]> rdd(JavaSparkContext jsc, String input, NameFilter wanted,
                                                  int partitions) throws IOException {
        SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
        if (isArchive(input)) {
            return jsc.parallelize(List.of(input), 1)
                    .flatMapToPair(a -> entries(conf.value(), a, wanted));
        }
        List<String> names = list(jsc.hadoopConfiguration(), input, wanted);
        if (names.isEmpty()) {
            throw new IOException(input + ": no input files found in this directory");
        }
        return jsc.parallelize(names, Math.max(1, Math.min(partitions, names.size())))
                .mapToPair(n -> new Tuple2<>(n, read(conf.value(), input, n)));
    }

    /** {@code dir/name} with exactly one separator (directory URIs may end with '/'). */
    public static String join(String dir, String name) {
        return (dir.endsWith("/") ? dir : dir + "/") + (name.startsWith("/") ? name.substring(1) : name);
    }

    public static boolean isArchive(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".tar.gz") || p.endsWith(".tgz") || p.endsWith(".tar");
    }

    /** Relative names of all files under {@code dir} (recursive), sorted, that {@code wanted} accepts. */
    public static List<String> list(Configuration conf, String dir, Predicate<String> wanted) throws IOException {
        Path root = HadoopPaths.resolve(dir);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new IOException(dir + ": no such directory or archive");
        }
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new IOException(dir + ": not a directory, and not a .tar/.tar.gz/.tgz archive");
        }
        String rootUri = fs.makeQualified(root).toUri().getPath();
        String prefix = rootUri.endsWith("/") ? rootUri : rootUri + "/";
        List<String> names = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            String full = it.next().getPath().toUri().getPath();
            String rel = full.startsWith(prefix) ? full.substring(prefix.length()) : full;
            if (wanted.test(rel)) {
                names.add(rel);
            }
        }
        Collections.sort(names);
        return names;
    }

    /** Reads one file of a directory tree. */
    public static byte[] read(Configuration conf, String dir, String name) throws IOException {
        Path p = new Path(HadoopPaths.resolve(dir), name);
        try (FSDataInputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        }
    }

    /**
     * Opens an archive for pulling its regular-file entries that {@code wanted} accepts, in archive
     * order, one at a time (so a Spark task can stream it without holding it in memory).
     */
    public static Entries entries(Configuration conf, String archive, Predicate<String> wanted) throws IOException {
        Path p = HadoopPaths.resolve(archive);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new IOException(archive + ": no such directory or archive");
        }
        InputStream raw = new BufferedInputStream(fs.open(p), 1 << 16);
        try {
            return new Entries(archive, new TarArchiveInputStream(maybeGunzip(raw, archive)), wanted);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** Pull-style iterator over (entry name, content); closes the archive when exhausted. */
    public static final class Entries implements Iterator<Tuple2<String, byte[]>>, Closeable {
        private final String archive;
        private final TarArchiveInputStream tar;
        private final Predicate<String> wanted;
        private Tuple2<String, byte[]> next;
        private boolean done;

        Entries(String archive, TarArchiveInputStream tar, Predicate<String> wanted) {
            this.archive = archive;
            this.tar = tar;
            this.wanted = wanted;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public Tuple2<String, byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Tuple2<String, byte[]> out = next;
            next = null;
            return out;
        }

        private Tuple2<String, byte[]> advance() {
            try {
                TarArchiveEntry e;
                while ((e = tar.getNextTarEntry()) != null) {
                    if (e.isFile() && wanted.test(e.getName())) {
                        return new Tuple2<>(e.getName(), tar.readAllBytes());
                    }
                }
                close();
                return null;
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException(archive + ": cannot read archive (truncated or corrupt?): "
                        + e.getMessage(), e);
            }
        }

        private void closeQuietly() {
            try {
                close();
            } catch (IOException ignored) {
                // already failing
            }
        }

        @Override
        public void close() throws IOException {
            done = true;
            tar.close();
        }
    }

    private static InputStream maybeGunzip(InputStream raw, String archive) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        if (archive.toLowerCase(java.util.Locale.ROOT).endsWith("gz")) {
            throw new IOException(archive + ": named .gz but does not start with the gzip magic bytes");
        }
        return raw;
    }
}
