package io.surnn.prep.core;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A text file as numbered lines of raw bytes, in file order, read in parallel (Hadoop splits).
 *
 * <p>Lines stay bytes so a task can report invalid UTF-8 as a bad record with its line number
 * ({@link #utf8}); Spark's textFile would silently replace bad bytes with U+FFFD. Numbering uses
 * zipWithIndex (one extra pass that counts lines per split), so line numbers — and anything a task
 * derives from line order — do not depend on how many partitions or executors there are.
 * Line terminators are \n, \r\n or \r (Hadoop's), not part of the line.
 */
public final class TextLines {
    private TextLines() {}

    /** One line: 1-based number in its file, and its bytes without the terminator. */
    public static final class Line implements Serializable {
        private static final long serialVersionUID = 1L;
        public final long number;
        public final byte[] bytes;

        public Line(long number, byte[] bytes) {
            this.number = number;
            this.bytes = bytes;
        }
    }

    /** The file's raw lines (bytes, no numbering): cheap, for passes that need no line numbers. */
    public static JavaRDD<byte[]> raw(JavaSparkContext jsc, Path file, int minPartitions) {
        return jsc.hadoopFile(file.toString(), TextInputFormat.class, LongWritable.class, Text.class, minPartitions)
                .map(kv -> Arrays.copyOf(kv._2().getBytes(), kv._2().getLength())); // Hadoop reuses Text
    }

    /** The file's lines numbered from 1 (runs one Spark job to count lines per partition). */
    public static JavaRDD<Line> numbered(JavaSparkContext jsc, Path file, int minPartitions) {
        return raw(jsc, file, minPartitions).zipWithIndex().map(t -> new Line(t._2() + 1, t._1()));
    }

    /**
     * Decodes strict UTF-8.
     *
     * @throws BadRecordException (reason "invalid UTF-8") naming {@code file} and the line
     */
    public static String utf8(byte[] bytes, String file, long line) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw new BadRecordException(file, "line " + line, "invalid UTF-8", e.getMessage());
        }
    }
}
