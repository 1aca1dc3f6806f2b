package io.surnn.driver.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One experiment file ({@code conf/experiments/NAME.conf}, HOCON, everything under {@code experiment { }}),
 * read and checked before anything runs. An experiment is one {@link Kind} of measurement over a list
 * of arms (a label plus run-config overrides, {@code set { model.gate.mode = fixed }}) and seeds; a
 * file with {@code parts = [ {…}, {…} ]} holds several, each a full experiment block, whose rows
 * land in one result file. A {@code smoke { }} block holds the keys that differ for a run of seconds
 * ({@code --smoke}); its {@code set} is merged over the experiment's, its {@code data} replaces it.
 *
 * <p>Every problem is an {@link IllegalArgumentException} of one line naming the file and the key
 * (unknown keys included, so a misspelt setting is never silently ignored). Arm overrides are checked
 * later, against reference.conf, when the runner builds each arm's run config.
 *
 * <p>Design note: a typed record per part rather than a RunConfig-like tree: the experiment keys are
 * few and kind-specific, and the task's own keys stay in the task config the experiment includes.
 */
public record ExperimentSpec(String name, Path file, String description, List<Part> parts) {

    /** What a part measures. */
    public enum Kind {
        /** Spark training runs of a task config, one per arm × seed, scored on the test split. */
        TRAIN,
        /** Delayed recall (worker-ops' DelayedRecall, no Spark) trained per arm × seed × gap. */
        RECALL,
        /** ||dL/dx_0|| of a loss at the last step of untrained networks, per arm × seed × length. */
        GRADIENT_PATH,
        /** Update rate and sparse-vs-dense inference time of trained models of another experiment. */
        INFERENCE;

        String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** An arm: its label and its run-config overrides as {@code key=value} strings. */
    public record Arm(String name, List<String> overrides) {}

    /**
     * The data of a TRAIN part: generated with {@code surnn prep} arguments ({@code prep}), an existing
     * dataset ({@code path}, relative to {@code --data-root}), or a synthetic stand-in of the task's
     * shape ({@code stand-in}, for smoke runs of tasks whose corpus is downloaded).
     */
    public record Data(List<String> prep, String path, StandIn standIn) {}

    /** A synthetic classification dataset: random ids in [1, vocab), label = first id mod classes. */
    public record StandIn(int length, int vocab, int classes, int train, int eval) {}

    /**
     * One measurement.
     *
     * @param task         the rows' task label
     * @param config       TRAIN: the task config file (resolved against the experiment file); else null
     * @param metric       the rows' metric (TRAIN: accuracy or perplexity)
     * @param budgetS      training budget per run in seconds (TRAIN, RECALL); 0 where nothing is trained
     * @param seeds        seeds 1..seeds
     * @param targetParams the parameter count every arm is sized to by model.hidden; 0: the first arm's
     *                     count at the config's model.hidden; -1: no sizing (the arms keep their width)
     * @param overrides    run-config overrides common to every arm
     * @param options      the kind's own keys (gaps, lengths, source, …), as read
     */
    public record Part(Kind kind, String task, Path config, Data data, String metric, double budgetS, int seeds,
                       long targetParams, List<String> overrides, List<Arm> arms, Config options, String where) {

        /** The integer list {@code key} of the kind's own keys. */
        public List<Integer> ints(String key) {
            return options.getIntList(key);
        }

        public int integer(String key) {
            return options.getInt(key);
        }

        public String string(String key) {
            return options.getString(key);
        }

        public List<String> strings(String key) {
            return options.getStringList(key);
        }
    }

    private static final Set<String> COMMON = Set.of("kind", "task", "description", "metric", "budget-s", "seeds",
            "target-params", "set", "arms", "smoke");
    /** Each kind's own keys and their defaults. */
    private static final Map<Kind, String> KIND_KEYS = Map.of(
            Kind.TRAIN, "config = \"\", data {}",
            Kind.RECALL, "gaps = [100], symbols = 4, noise = 0, batch = 32, eval-size = 512, max-steps = 100000",
            Kind.GRADIENT_PATH, "lengths = [16, 64, 256], input-size = 8, batch = 4",
            Kind.INFERENCE, "source = \"\", batch = 32, repeats = 5");

    /** Reads {@code file}; {@code smoke} applies each part's smoke block. */
    public static ExperimentSpec load(String name, Path file, boolean smoke) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such experiment file");
        }
        Config root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage().replace('\n', ' '), e);
        }
        for (String top : root.root().keySet()) {
            if (!top.equals("experiment")) {
                throw bad(file, top, "unknown key (everything lives under experiment { … })");
            }
        }
        if (!root.hasPath("experiment")) {
            throw bad(file, "experiment", "missing: the file must hold experiment { … }");
        }
        Config e = object(root, file, "", "experiment");
        String description = e.hasPath("description") ? e.getString("description") : "";
        List<Part> parts = new ArrayList<>();
        if (e.hasPath("parts")) {
            for (String k : e.root().keySet()) {
                if (!k.equals("parts") && !k.equals("description")) {
                    throw bad(file, "experiment." + k, "unknown key beside parts (each part is a full experiment block)");
                }
            }
            List<? extends ConfigObject> list;
            try {
                list = e.getObjectList("parts");
            } catch (ConfigException.WrongType w) {
                throw bad(file, "experiment.parts", "must be a list of experiment blocks");
            }
            for (int i = 0; i < list.size(); i++) {
                parts.add(part(file, "experiment.parts[" + i + "]", list.get(i).toConfig(), smoke));
            }
        } else {
            parts.add(part(file, "experiment", e, smoke));
        }
        return new ExperimentSpec(name, file, description, parts);
    }

    private static Part part(Path file, String where, Config block, boolean smoke) {
        Config c = block;
        if (smoke) {
            if (!block.hasPath("smoke")) {
                throw bad(file, where + ".smoke", "missing: --smoke needs a smoke block");
            }
            Config s = object(block, file, where, "smoke");
            for (String k : s.root().keySet()) {
                if (k.equals("smoke") || k.equals("kind") || k.equals("arms")) {
                    throw bad(file, where + ".smoke." + k, "cannot be changed by the smoke block");
                }
            }
            c = s.withoutPath("data").withFallback(block.withoutPath("smoke"));
            if (s.hasPath("data")) {
                c = c.withValue("data", s.getValue("data"));
            }
        }
        Kind kind = kind(file, where, c);
        Config options = ConfigFactory.parseString(KIND_KEYS.get(kind));
        for (String k : c.root().keySet()) {
            if (!COMMON.contains(k) && !options.hasPath(k)) {
                throw bad(file, where + "." + k, "unknown key for kind = " + kind.configName()
                        + " (known: " + String.join(", ", known(kind)) + ")");
            }
        }
        Config own = ConfigFactory.empty();
        for (String k : options.root().keySet()) {
            if (c.hasPath(k)) {
                own = own.withValue(k, c.getValue(k));
            }
        }
        own = own.withFallback(options);
        String task = string(c, file, where, "task", null);
        String metric = string(c, file, where, "metric", kind == Kind.TRAIN ? "accuracy"
                : kind == Kind.RECALL ? "accuracy" : kind == Kind.GRADIENT_PATH ? "grad_norm_h0" : "inference_speedup");
        if (kind == Kind.TRAIN && !metric.equals("accuracy") && !metric.equals("perplexity")) {
            throw bad(file, where + ".metric", "must be accuracy or perplexity (the test metric in metrics.json), got " + metric);
        }
        double budget = number(c, file, where, "budget-s", kind == Kind.TRAIN || kind == Kind.RECALL ? -1 : 0);
        if ((kind == Kind.TRAIN || kind == Kind.RECALL) && !(budget > 0)) {
            throw bad(file, where + ".budget-s", "must be > 0 seconds, got " + budget);
        }
        int seeds = (int) number(c, file, where, "seeds", 3);
        if (seeds < 1) {
            throw bad(file, where + ".seeds", "must be >= 1, got " + seeds);
        }
        long target = (long) number(c, file, where, "target-params", kind == Kind.GRADIENT_PATH || kind == Kind.INFERENCE ? -1 : 0);
        List<String> common = c.hasPath("set") ? overrides(file, where + ".set", object(c, file, where, "set")) : List.of();
        List<Arm> arms = arms(file, where, c, kind);
        Path config = null;
        Data data = null;
        try {
            if (kind == Kind.TRAIN) {
                String cfg = own.getString("config");
                if (cfg.isEmpty()) {
                    throw bad(file, where + ".config", "missing: the task config to run, e.g. config = \"../listops.conf\"");
                }
                config = file.toAbsolutePath().getParent().resolve(cfg).normalize();
                data = data(file, where + ".data", own.getConfig("data"));
            }
            if (kind == Kind.RECALL) {
                for (int g : own.getIntList("gaps")) {
                    if (g < 1) throw bad(file, where + ".gaps", "every gap must be >= 1, got " + g);
                }
                own.getInt("symbols");
                own.getInt("noise");
                own.getInt("batch");
                own.getInt("eval-size");
                own.getInt("max-steps");
            }
            if (kind == Kind.GRADIENT_PATH) {
                for (int l : own.getIntList("lengths")) {
                    if (l < 1) throw bad(file, where + ".lengths", "every length must be >= 1, got " + l);
                }
                own.getInt("input-size");
                own.getInt("batch");
            }
            if (kind == Kind.INFERENCE) {
                if (own.getString("source").isEmpty()) {
                    throw bad(file, where + ".source", "missing: the experiment whose trained models are measured");
                }
                own.getInt("batch");
                own.getInt("repeats");
            }
        } catch (ConfigException ce) {
            throw new IllegalArgumentException(file + ": " + where + ": " + ce.getMessage().replace('\n', ' '), ce);
        }
        return new Part(kind, task, config, data, metric, budget, seeds, target, common, arms, own, file + ": " + where);
    }

    private static List<String> known(Kind kind) {
        Set<String> k = new LinkedHashSet<>(List.of("kind", "task", "description", "metric", "budget-s", "seeds",
                "target-params", "set", "arms", "smoke"));
        k.addAll(ConfigFactory.parseString(KIND_KEYS.get(kind)).root().keySet());
        return new ArrayList<>(k);
    }

    private static Kind kind(Path file, String where, Config c) {
        String k = string(c, file, where, "kind", "train");
        for (Kind v : Kind.values()) {
            if (v.configName().equals(k)) {
                return v;
            }
        }
        throw bad(file, where + ".kind", "must be one of train | recall | gradient-path | inference, got \"" + k + "\"");
    }

    private static List<Arm> arms(Path file, String where, Config c, Kind kind) {
        if (!c.hasPath("arms")) {
            throw bad(file, where + ".arms", "missing: a list of { name = …, set { … } }");
        }
        List<? extends ConfigObject> list;
        try {
            list = c.getObjectList("arms");
        } catch (ConfigException.WrongType w) {
            throw bad(file, where + ".arms", "must be a list of { name = …, set { … } }");
        }
        if (list.isEmpty()) {
            throw bad(file, where + ".arms", "is empty");
        }
        List<Arm> arms = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Config a = list.get(i).toConfig();
            String at = where + ".arms[" + i + "]";
            for (String k : a.root().keySet()) {
                if (!k.equals("name") && !k.equals("set")) {
                    throw bad(file, at + "." + k, "unknown arm key (an arm has name and set)");
                }
            }
            String name = string(a, file, at, "name", null);
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw bad(file, at + ".name", "must be letters, digits, '.', '_' or '-' (it names the run's directory), got \"" + name + "\"");
            }
            if (!names.add(name)) {
                throw bad(file, at + ".name", "\"" + name + "\" is used by two arms");
            }
            List<String> set = a.hasPath("set") ? overrides(file, at + ".set", object(a, file, at, "set")) : List.of();
            arms.add(new Arm(name, set));
        }
        return arms;
    }

    private static Data data(Path file, String where, Config d) {
        for (String k : d.root().keySet()) {
            if (!k.equals("prep") && !k.equals("path") && !k.equals("stand-in")) {
                throw bad(file, where + "." + k, "unknown key (data has one of prep, path, stand-in)");
            }
        }
        if (d.root().size() != 1) {
            throw bad(file, where, "needs exactly one of prep = [surnn prep arguments], path = DIR, stand-in { … }");
        }
        if (d.hasPath("prep")) {
            List<String> args = d.getStringList("prep");
            if (args.isEmpty()) {
                throw bad(file, where + ".prep", "is empty: give the surnn prep task and its options");
            }
            for (String a : args) {
                if (a.equals("--output") || a.equals("--master")) {
                    throw bad(file, where + ".prep", a + " is set by the experiment runner");
                }
            }
            return new Data(args, null, null);
        }
        if (d.hasPath("path")) {
            return new Data(null, d.getString("path"), null);
        }
        Config s = d.getConfig("stand-in");
        Config def = ConfigFactory.parseString("train = 200, eval = 50");
        Config full = s.withFallback(def);
        for (String k : s.root().keySet()) {
            if (!Set.of("length", "vocab", "classes", "train", "eval").contains(k)) {
                throw bad(file, where + ".stand-in." + k, "unknown key (length, vocab, classes, train, eval)");
            }
        }
        StandIn st = new StandIn(full.getInt("length"), full.getInt("vocab"), full.getInt("classes"),
                full.getInt("train"), full.getInt("eval"));
        if (st.length() < 1 || st.vocab() < 2 || st.classes() < 2 || st.train() < 1 || st.eval() < 1) {
            throw bad(file, where + ".stand-in", "needs length >= 1, vocab >= 2, classes >= 2, train and eval >= 1");
        }
        return new Data(null, null, st);
    }

    /** The {@code set} block flattened into {@code key=value} overrides (values as HOCON). */
    private static List<String> overrides(Path file, String where, Config set) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : set.entrySet()) {
            String value = e.getValue().valueType() == ConfigValueType.STRING
                    ? com.typesafe.config.ConfigUtil.quoteString((String) e.getValue().unwrapped())
                    : e.getValue().render(ConfigRenderOptions.concise());
            out.add(e.getKey() + "=" + value);
        }
        return out;
    }

    private static Config object(Config c, Path file, String where, String... path) {
        String key = String.join(".", path);
        try {
            return c.getConfig(key);
        } catch (ConfigException.WrongType w) {
            throw bad(file, (where.isEmpty() ? "" : where + ".") + key, "must be an object { … }");
        }
    }

    private static String string(Config c, Path file, String where, String key, String dflt) {
        if (!c.hasPath(key)) {
            if (dflt == null) {
                throw bad(file, where + "." + key, "missing");
            }
            return dflt;
        }
        try {
            return c.getString(key);
        } catch (ConfigException.WrongType w) {
            throw bad(file, where + "." + key, "must be a string");
        }
    }

    private static double number(Config c, Path file, String where, String key, double dflt) {
        if (!c.hasPath(key)) {
            return dflt;
        }
        try {
            return c.getDouble(key);
        } catch (ConfigException.WrongType w) {
            throw bad(file, where + "." + key, "must be a number, got " + c.getValue(key).render(ConfigRenderOptions.concise()));
        }
    }

    static IllegalArgumentException bad(Path file, String key, String problem) {
        return new IllegalArgumentException(file + ": " + key + ": " + problem);
    }
}
