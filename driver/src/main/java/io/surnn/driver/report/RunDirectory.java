package io.surnn.driver.report;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A run's output.dir on its Hadoop file system. Local paths (no scheme, or file:) go through the raw
 * local file system: no .crc side files, and flushed lines are visible to {@code tail -f} at once.
 */
public final class RunDirectory {
    private final FileSystem fs;
    private final Path dir;

    public RunDirectory(String dir, Configuration hadoopConf) throws IOException {
        Path p = new Path(dir);
        FileSystem fileSystem = p.getFileSystem(hadoopConf);
        String scheme = fileSystem.getUri().getScheme();
        this.fs = "file".equals(scheme) ? FileSystem.getLocal(hadoopConf).getRaw() : fileSystem;
        this.dir = fs.makeQualified(p);
    }

    /** The qualified path of {@code name} inside the run directory. */
    public Path resolve(String name) {
        return new Path(dir, name);
    }

    public Path dir() {
        return dir;
    }

    /** The file system the run directory is on (the raw local one for local paths). */
    public FileSystem fileSystem() {
        return fs;
    }

    /** Creates (or replaces) {@code name}, creating parent directories. */
    public OutputStream create(String name) throws IOException {
        return fs.create(resolve(name), true);
    }

    public void write(String name, byte[] bytes) throws IOException {
        try (OutputStream out = create(name)) {
            out.write(bytes);
        }
    }

    /** The bytes of {@code name}, or null if it does not exist. */
    public byte[] readIfExists(String name) throws IOException {
        try (InputStream in = fs.open(resolve(name))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** {@code p} for messages: a local path without the file: scheme, else the URI. */
    public static String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** The directory itself, for messages: a local path, else the URI. */
    public String display() {
        return "file".equals(dir.toUri().getScheme()) ? dir.toUri().getPath() : dir.toString();
    }

    /** Local file path for display when the run directory is local, else the URI. */
    public String display(String name) {
        Path p = resolve(name);
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
