package io.surnn.prep.tasks.listops;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.core.TextLines;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The official LRA ListOps TSV files: {@code basic_train.tsv}, {@code basic_val.tsv},
 * {@code basic_test.tsv}, each a header {@code Source<TAB>Target} then one row per example
 * (rendered expression, label 0..9). Written as Python's csv.writer does (\r\n line ends);
 * read with \n or \r\n.
 *
 * <p>Reading is two passes over each file, like WikiText: one counting good rows per partition
 * (the pass that handles and counts bad rows), one parsing them with dense indexes from the
 * per-partition prefix sums. Each bad row names the file and line.
 */
public final class ListOpsTsv {
    private ListOpsTsv() {}

    public static final String HEADER = "Source\tTarget";
    /** Split → file name in the official release. */
    public static final List<String> FILES = List.of("basic_train.tsv", "basic_val.tsv", "basic_test.tsv");

    /** The three files under {@code dir}; a missing one is a PrepException naming it. */
    public static List<Path> files(FileSystem fs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String f : FILES) {
            Path p = new Path(dir, f);
            if (!fs.exists(p)) {
                throw new PrepException("--input " + dir + " has no " + f + " (expected the LRA ListOps files "
                        + String.join(", ", FILES) + ")");
            }
            out.add(p);
        }
        return out;
    }

    /** One parsed row: model ids and label. */
    static final class Parsed {
        final int[] tokens;
        final int label;

        Parsed(int[] tokens, int label) {
            this.tokens = tokens;
            this.label = label;
        }
    }

    /** Parses a line; null for the header (line 1). Throws BadRecordException naming file and line. */
    static Parsed parse(TextLines.Line l, String file, int maxLength) {
        String where = "line " + l.number;
        String s = TextLines.utf8(l.bytes, file, l.number);
        if (l.number == 1) {
            if (s.equals(HEADER)) return null;
            throw new BadRecordException(file, where, "missing header", "expected 'Source<TAB>Target'");
        }
        String[] f = s.split("\t", -1);
        if (f.length != 2) {
            throw new BadRecordException(file, where, "wrong number of fields", f.length + " tab-separated fields, expected 2");
        }
        int label;
        try {
            label = Integer.parseInt(f[1].trim());
        } catch (NumberFormatException e) {
            throw new BadRecordException(file, where, "label not an integer", "'" + f[1] + "'");
        }
        if (label < 0 || label > 9) {
            throw new BadRecordException(file, where, "label out of range", "label " + label + " not in 0..9");
        }
        int[] ids;
        try {
            ids = ListOpsVocab.encode(f[0]);
        } catch (IllegalArgumentException e) {
            throw new BadRecordException(file, where, "unknown token", e.getMessage());
        }
        if (ids.length == 0) throw new BadRecordException(file, where, "empty expression");
        if (ids.length > maxLength) {
            throw new BadRecordException(file, where, "longer than max length", ids.length + " tokens > " + maxLength);
        }
        return new Parsed(ids, label);
    }

    /** A TSV file as CLASSIFICATION rows (dense index in file order); sets {@code count[0]} to their number. */
    static JavaRDD<Row> read(JavaSparkContext jsc, Path file, int maxLength, BadRecords bad, long[] count) {
        String f = file.toString();
        JavaRDD<TextLines.Line> lines = TextLines.numbered(jsc, file, jsc.defaultMinPartitions());
        List<long[]> per = lines.mapPartitionsWithIndex((p, it) -> {
            long good = 0;
            while (it.hasNext()) {
                try {
                    if (parse(it.next(), f, maxLength) != null) good++;
                } catch (BadRecordException e) {
                    bad.handle(e);
                }
            }
            return Collections.singletonList(new long[]{p, good}).iterator();
        }, true).collect();
        long[] starts = new long[per.size()];
        long total = 0;
        long[] good = new long[per.size()];
        for (long[] r : per) good[(int) r[0]] = r[1];
        for (int p = 0; p < good.length; p++) {
            starts[p] = total;
            total += good[p];
        }
        count[0] = total;
        return lines.mapPartitionsWithIndex((p, it) -> {
            List<Row> out = new ArrayList<>();
            long idx = starts[p];
            while (it.hasNext()) {
                Parsed r;
                try {
                    r = parse(it.next(), f, maxLength);
                } catch (BadRecordException e) {
                    bad.dropSilently(e);
                    continue;
                }
                if (r != null) out.add(RowFactory.create(idx++, r.tokens, r.label));
            }
            return out.iterator();
        }, true);
    }

    /** Writes header + rows in the official format. */
    static void write(OutputStream os, Iterator<ListOpsGenerator.Example> examples) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(HEADER);
            w.write("\r\n");
            while (examples.hasNext()) {
                ListOpsGenerator.Example e = examples.next();
                w.write(e.source);
                w.write('\t');
                w.write(Integer.toString(e.label));
                w.write("\r\n");
            }
        }
    }
}
