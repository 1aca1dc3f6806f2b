package io.surnn.prep.format;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Paths as the user types them → Hadoop {@link Path}s. Anything with a URI scheme
 * ({@code hdfs://}, {@code s3a://}, {@code file:/}) is taken as is; a plain local path (relative or
 * absolute) becomes an absolute {@code file://} URI, so the same string means the same file on the
 * driver and on every executor of a local or single-machine cluster.
 */
public final class HadoopPaths {
    private HadoopPaths() {}

    private static final Pattern HAS_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

    /** The Hadoop path for a user-supplied location (see the class note). */
    public static Path resolve(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("empty path");
        }
        if (HAS_SCHEME.matcher(location).matches()) {
            return new Path(location);
        }
        // not File.toURI(): it appends '/' to existing directories, which would change getName/getParent
        return new Path("file", null, new File(location).getAbsoluteFile().toPath().normalize().toString());
    }

    public static FileSystem fs(Path p, Configuration conf) throws IOException {
        return p.getFileSystem(conf);
    }

    /** True if {@code p} does not exist, or is an empty directory. */
    public static boolean isAbsentOrEmpty(FileSystem fs, Path p) throws IOException {
        if (!fs.exists(p)) return true;
        FileStatus st = fs.getFileStatus(p);
        return st.isDirectory() && fs.listStatus(p).length == 0;
    }

    /** Hex SHA-256 of a file, streamed in 1 MiB blocks (never the whole file in memory). */
    public static String sha256(FileSystem fs, Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (FSDataInputStream in = fs.open(p)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
