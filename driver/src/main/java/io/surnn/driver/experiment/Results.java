package io.surnn.driver.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An experiment's rows and the two files made of them: {@code NAME.json}, an array with one object per
 * run ({@code task, arm, seed, params, budget_s, metric, value} first, then the kind's own keys such as
 * {@code gap}, {@code length}, {@code steps}), and {@code NAME.md}, a table of the mean and spread
 * over seeds per (task, arm, axis value).
 *
 * <p>Spread is the sample standard deviation over seeds (n - 1 in the denominator); with one seed
 * it is shown as "–". Rows are grouped by every key except seed, value and the per-run measurements
 * listed in {@link #PER_RUN}, so a swept axis (gap, length, layer) becomes its own table line.
 */
public final class Results {
    /** The keys every row has, in this order. */
    public static final List<String> REQUIRED = List.of("task", "arm", "seed", "params", "budget_s", "metric", "value");
    /** Per-run measurements: reported in the JSON, not used to group the table. */
    static final java.util.Set<String> PER_RUN = java.util.Set.of("seed", "value", "params", "steps", "stopped_by",
            "update_rates", "update_rate", "train_s", "hidden", "sparse_ms", "dense_ms", "run", "smoke", "data", "batch", "error");

    private final List<Map<String, Object>> rows = new ArrayList<>();

    /** A new row with the required keys; add the kind's own keys to the returned map. */
    public Map<String, Object> add(String task, String arm, long seed, long params, double budgetS, String metric, double value) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("task", task);
        r.put("arm", arm);
        r.put("seed", seed);
        r.put("params", params);
        r.put("budget_s", budgetS);
        r.put("metric", metric);
        r.put("value", Double.isFinite(value) ? value : null);
        rows.add(r);
        return r;
    }

    public List<Map<String, Object>> rows() {
        return rows;
    }

    /** Writes {@code dir/base.json} and {@code dir/base.md}; returns the two paths. */
    public List<Path> write(Path dir, String base, String heading, List<String> notes) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(base + ".json");
        Path md = dir.resolve(base + ".md");
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.write(json, m.writeValueAsBytes(rows));
        Files.writeString(md, markdown(heading, notes), StandardCharsets.UTF_8);
        return List.of(json, md);
    }

    /** The table: one line per group, mean ± spread over its rows. */
    String markdown(String heading, List<String> notes) {
        StringBuilder s = new StringBuilder("# ").append(heading).append("\n\n");
        notes.forEach(n -> s.append(n).append("\n\n"));
        List<String> axes = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            for (String k : r.keySet()) {
                if (!REQUIRED.contains(k) && !PER_RUN.contains(k) && !axes.contains(k)) {
                    axes.add(k);
                }
            }
        }
        Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            List<Object> key = new ArrayList<>(List.of(r.get("task"), r.get("arm"), r.get("metric")));
            axes.forEach(a -> key.add(r.get(a)));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        s.append("| task | arm |");
        axes.forEach(a -> s.append(' ').append(a).append(" |"));
        s.append(" params | budget (s) | metric | mean ± spread | n |\n|---|---|");
        axes.forEach(a -> s.append("---|"));
        s.append("---|---|---|---|---|\n");
        for (List<Map<String, Object>> g : groups.values()) {
            Map<String, Object> first = g.get(0);
            s.append("| ").append(first.get("task")).append(" | ").append(first.get("arm")).append(" |");
            axes.forEach(a -> s.append(' ').append(first.get(a) == null ? "" : first.get(a)).append(" |"));
            List<Double> v = new ArrayList<>();
            g.forEach(r -> {
                if (r.get("value") instanceof Number n) v.add(n.doubleValue());
            });
            s.append(' ').append(paramsCell(g)).append(" | ").append(num(((Number) first.get("budget_s")).doubleValue()))
                    .append(" | ").append(first.get("metric")).append(" | ").append(meanSpread(v))
                    .append(" | ").append(v.size()).append(g.size() > v.size() ? " (+" + (g.size() - v.size()) + " failed)" : "")
                    .append(" |\n");
        }
        return s.toString();
    }

    private static String paramsCell(List<Map<String, Object>> g) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Map<String, Object> r : g) {
            long p = ((Number) r.get("params")).longValue();
            lo = Math.min(lo, p);
            hi = Math.max(hi, p);
        }
        return lo == hi ? Long.toString(lo) : lo + "–" + hi;
    }

    /** "0.512 ± 0.031" (sample standard deviation), "0.512 ± –" for one value, "–" for none. */
    static String meanSpread(List<Double> v) {
        if (v.isEmpty()) {
            return "–";
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (v.size() == 1) {
            return num(mean) + " ± –";
        }
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return num(mean) + " ± " + num(Math.sqrt(ss / (v.size() - 1)));
    }

    static String num(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e9) {
            return Long.toString((long) x);
        }
        double a = Math.abs(x);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3g", x);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.4f", x);
    }
}
