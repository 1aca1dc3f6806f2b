package io.surnn.prep.tasks.wikitext;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.BadRecords;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.core.PrepException;
import io.surnn.prep.core.TextLines;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code surnn prep wikitext}: WikiText-2 / WikiText-103 (or any line-oriented text with
 * train/valid/test files) as a language-modelling dataset (kind LM).
 *
 * <p>Per split, three passes over the file, none of which brings text to the driver:
 * (1) number the lines (zipWithIndex); (2) count tokens per partition — the one pass that counts
 * bad records — giving each partition's first stream position by prefix sums (and the OOV count);
 * (3) encode lines to ids and cut the stream into windows ({@link LmWindows}). On the train split
 * pass (2) also counts the vocabulary (word/char) with per-partition hash maps + reduceByKey,
 * ordered by count descending, then token (UTF-16 order); a valid/test token missing from it maps
 * to {@code <unk>} (appended to the vocabulary if the train split lacks it) and is counted in
 * manifest.options (oov.valid, oov.test).
 */
@Command(name = "wikitext", mixinStandardHelpOptions = true,
        description = {"WikiText-2/-103 (or any text with train/valid/test files) as a language-modelling "
                + "dataset: token ids in fixed windows of seq_len+1 tokens that overlap by one.",
                "Input layouts: DIR/{train,valid,test}.txt (WikiText-2 as in pytorch/examples) or "
                        + "DIR/wiki.{train,valid,test}.tokens (the official archives)."})
public final class WikiTextCommand extends PrepCommand {

    @Option(names = "--input", required = true, paramLabel = "DIR|URI", description = "Directory with the split files.")
    String input;

    @Option(names = "--level", paramLabel = "word|char|byte", defaultValue = "word",
            converter = LevelConverter.class,
            description = "word: whitespace tokens + <eos> per line (the standard setup); char: code points + "
                    + "<eos>; byte: UTF-8 bytes + \\n (vocabulary 256). Default: ${DEFAULT-VALUE}.")
    WikiTextLevel level;

    @Option(names = "--window", paramLabel = "N", defaultValue = "1025",
            description = "Tokens per window = seq_len + 1 (consecutive windows share one token). Default: ${DEFAULT-VALUE}.")
    int window;

    /** picocli converter: case-insensitive level names. */
    public static final class LevelConverter implements picocli.CommandLine.ITypeConverter<WikiTextLevel> {
        @Override public WikiTextLevel convert(String v) {
            for (WikiTextLevel l : WikiTextLevel.values()) if (l.name().equalsIgnoreCase(v)) return l;
            throw new IllegalArgumentException("--level must be word, char or byte, not '" + v + "'");
        }
    }

    @Override
    protected void prepare(PrepContext ctx) throws Exception {
        if (window < 2) throw new IllegalArgumentException("--window must be >= 2 (seq_len + 1), not " + window);
        int seqLen = window - 1;
        Path dir = ctx.requireInput(input, "--input");
        Map<String, Path> files = splitFiles(ctx, dir);

        DatasetManifest m = ctx.manifest();
        m.kind = DatasetFormat.Kind.LM;
        m.seqLen = seqLen;
        m.options.put("level", level.name().toLowerCase());
        m.options.put("window", Integer.toString(window));
        files.values().forEach(p -> m.sources.add(p.toString()));

        Map<String, JavaRDD<TextLines.Line>> lines = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>();
        for (String split : DatasetFormat.SPLITS) {
            ctx.splitInput(split, files.get(split));
            ctx.phase(split + ": numbering lines of " + files.get(split).getName());
            lines.put(split, TextLines.numbered(ctx.jsc(), files.get(split), ctx.jsc().defaultMinPartitions()));
        }

        Broadcast<Map<String, Integer>> ids = null;
        if (level != WikiTextLevel.BYTE) {
            ctx.phase("train: counting tokens and building the vocabulary");
            List<String> vocab = new ArrayList<>();
            counts.put(DatasetFormat.TRAIN, countAndVocabulary(ctx, lines.get(DatasetFormat.TRAIN),
                    files.get(DatasetFormat.TRAIN).toString(), vocab));
            ctx.writer().writeVocab(vocab);
            m.vocabSize = vocab.size();
            m.vocabFile = DatasetFormat.VOCAB_FILE;
            Map<String, Integer> map = new HashMap<>(vocab.size() * 2);
            for (int i = 0; i < vocab.size(); i++) map.put(vocab.get(i), i);
            ids = ctx.jsc().broadcast(map);
            ctx.log().printf("[prep] vocabulary: %,d tokens%n", vocab.size());
        } else {
            m.vocabSize = 256;
        }
        m.numClasses = m.vocabSize;

        for (String split : DatasetFormat.SPLITS) {
            if (!counts.containsKey(split)) {
                ctx.phase(split + ": counting tokens");
                counts.put(split, countTokens(ctx, lines.get(split), files.get(split), ids));
            }
            long[] c = counts.get(split);     // per partition token counts, then total, then OOV
            int parts = c.length - 2;
            long total = c[parts];
            if (level != WikiTextLevel.BYTE && !split.equals(DatasetFormat.TRAIN)) {
                m.options.put("oov." + split, Long.toString(c[parts + 1]));
            }
            long[] starts = new long[parts];
            for (int p = 1; p < parts; p++) starts[p] = starts[p - 1] + c[p - 1];
            ctx.phase(split + ": encoding " + String.format("%,d", total) + " tokens into windows of " + window);
            JavaRDD<int[]> encoded = encode(lines.get(split), files.get(split).toString(), level, ids, ctx.badRecords());
            JavaRDD<Row> rows = LmWindows.windows(encoded, starts, total, seqLen, Math.max(parts, common.shards));
            DatasetManifest.Split s = ctx.writer().writeSplit(split, m.kind, rows, LmWindows.count(total, seqLen),
                    common.shards);
            s.tokens = total;
        }
    }

    /** The split files: WikiText-2 names first, then WikiText-103 names; a missing split is an error. */
    static Map<String, Path> splitFiles(PrepContext ctx, Path dir) throws java.io.IOException {
        FileSystem fs = dir.getFileSystem(ctx.hadoopConf());
        Map<String, Path> out = new HashMap<>();
        for (String split : DatasetFormat.SPLITS) {
            Path a = new Path(dir, split + ".txt"), b = new Path(dir, "wiki." + split + ".tokens");
            if (fs.exists(a)) out.put(split, a);
            else if (fs.exists(b)) out.put(split, b);
            else throw new PrepException("--input " + dir + " has no " + split + " split: expected " + a.getName()
                    + " (WikiText-2 layout) or " + b.getName() + " (WikiText-103 layout)");
        }
        return out;
    }

    /**
     * Pass (2): tokens per partition (bad lines handled and counted here, once), plus the total and
     * the number of tokens not in {@code ids} (null: none counted). Returns [per partition..., total, oov].
     */
    private long[] countTokens(PrepContext ctx, JavaRDD<TextLines.Line> lines, Path file,
                               Broadcast<Map<String, Integer>> ids) {
        String f = file.toString();
        WikiTextLevel lv = level;
        BadRecords bad = ctx.badRecords();
        List<long[]> per = lines.mapPartitionsWithIndex((p, it) -> {
            long tokens = 0, oov = 0;
            Map<String, Integer> v = ids == null ? null : ids.value();
            while (it.hasNext()) {
                TextLines.Line l = it.next();
                try {
                    if (v == null || lv == WikiTextLevel.BYTE) {
                        tokens += lv.count(l.bytes, f, l.number);
                    } else {
                        for (String t : lv.tokens(l.bytes, f, l.number)) {
                            tokens++;
                            if (!v.containsKey(t)) oov++;
                        }
                    }
                } catch (BadRecordException e) {
                    bad.handle(e);
                }
            }
            return Collections.singletonList(new long[]{p, tokens, oov}).iterator();
        }, true).collect();
        long[] out = new long[per.size() + 2];
        for (long[] r : per) {
            out[(int) r[0]] = r[1];
            out[per.size()] += r[1];
            out[per.size() + 1] += r[2];
        }
        return out;
    }

    /**
     * Train pass (word/char): in one pass, tokens per partition (bad lines handled and counted here)
     * and the vocabulary — per-partition hash maps merged by reduceByKey; keys are the tokens
     * (String) and, for the per-partition totals, the partition number (Integer), so they cannot
     * collide. Fills {@code vocab} (count desc, then token; {@code <unk>} appended if absent) and
     * returns [per partition..., total, 0].
     */
    private long[] countAndVocabulary(PrepContext ctx, JavaRDD<TextLines.Line> lines, String file, List<String> vocab) {
        WikiTextLevel lv = level;
        BadRecords bad = ctx.badRecords();
        int parts = lines.getNumPartitions();
        List<Tuple2<Object, Long>> counted = lines.mapPartitionsWithIndex((p, it) -> {
            Map<String, Long> local = new HashMap<>();
            long tokens = 0;
            while (it.hasNext()) {
                TextLines.Line l = it.next();
                try {
                    List<String> toks = lv.tokens(l.bytes, file, l.number);
                    tokens += toks.size();
                    for (String t : toks) local.merge(t, 1L, Long::sum);
                } catch (BadRecordException e) {
                    bad.handle(e);
                }
            }
            List<Tuple2<Object, Long>> out = new ArrayList<>(local.size() + 1);
            local.forEach((k, c) -> out.add(new Tuple2<>(k, c)));
            out.add(new Tuple2<>(p, tokens));
            return out.iterator();
        }, true).mapToPair(t -> t).reduceByKey(Long::sum).collect();
        long[] out = new long[parts + 2];
        List<Tuple2<String, Long>> words = new ArrayList<>(counted.size());
        for (Tuple2<Object, Long> t : counted) {
            if (t._1() instanceof Integer) {
                out[(Integer) t._1()] = t._2();
                out[parts] += t._2();
            } else {
                words.add(new Tuple2<>((String) t._1(), t._2()));
            }
        }
        words.sort((a, b) -> a._2().equals(b._2()) ? a._1().compareTo(b._1()) : Long.compare(b._2(), a._2()));
        for (Tuple2<String, Long> t : words) vocab.add(t._1());
        if (!vocab.contains(WikiTextLevel.UNK)) vocab.add(WikiTextLevel.UNK);
        return out;
    }

    /** Pass (3): each line as ids (bad lines dropped: already counted in pass 2). */
    static JavaRDD<int[]> encode(JavaRDD<TextLines.Line> lines, String file, WikiTextLevel level,
                                 Broadcast<Map<String, Integer>> ids, BadRecords bad) {
        return lines.mapPartitions(it -> {
            Map<String, Integer> v = ids == null ? null : ids.value();
            Integer unk = v == null ? null : v.get(WikiTextLevel.UNK);
            List<int[]> out = new ArrayList<>();
            while (it.hasNext()) {
                TextLines.Line l = it.next();
                if (level == WikiTextLevel.BYTE) {
                    int[] a = new int[l.bytes.length + 1];
                    for (int i = 0; i < l.bytes.length; i++) a[i] = l.bytes[i] & 0xFF;
                    a[l.bytes.length] = '\n';
                    out.add(a);
                    continue;
                }
                try {
                    List<String> toks = level.tokens(l.bytes, file, l.number);
                    int[] a = new int[toks.size()];
                    for (int i = 0; i < a.length; i++) a[i] = v.getOrDefault(toks.get(i), unk);
                    out.add(a);
                } catch (BadRecordException e) {
                    bad.dropSilently(e);
                }
            }
            return out.iterator();
        }, true);
    }
}
