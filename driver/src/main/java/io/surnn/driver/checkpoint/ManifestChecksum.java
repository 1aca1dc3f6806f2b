package io.surnn.driver.checkpoint;

import io.surnn.prep.format.DatasetFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The identity of a dataset directory: the hex SHA-256 of its manifest.json bytes. The manifest
 * lists every shard's own SHA-256, so this covers the data; it does not depend on where the
 * directory lives.
 */
public final class ManifestChecksum {
    private ManifestChecksum() {}

    /** SHA-256 of {@code <dataPath>/manifest.json} on its Hadoop file system. */
    public static String of(String dataPath, Configuration hadoopConf) throws IOException {
        Path manifest = new Path(dataPath, DatasetFormat.MANIFEST_FILE);
        FileSystem fs = manifest.getFileSystem(hadoopConf);
        try (InputStream in = fs.open(manifest)) {
            return Sha256.of(in);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(manifest + ": no manifest.json; is " + dataPath
                    + " a dataset directory written by `surnn prep`?");
        }
    }
}
