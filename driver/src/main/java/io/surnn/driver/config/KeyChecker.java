package io.surnn.driver.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rejects keys the driver does not know. The user's tree (file + overrides, before defaults) is
 * walked against reference.conf's {@code surnn} tree; every unknown key is reported with where it
 * was written and, when one is close, the valid key the user probably meant. A value where an object
 * belongs (or the reverse) is a structural problem: the tree cannot be read until it is fixed.
 * Subtrees listed as free-form (spark.conf) are not checked.
 */
final class KeyChecker {
    private static final Set<String> FREE_FORM = Set.of("spark.conf");

    private final ConfigObject reference;
    private final List<String> referenceLeaves = new ArrayList<>();

    KeyChecker(ConfigObject referenceSurnn) {
        this.reference = referenceSurnn;
        collectLeaves("", referenceSurnn, referenceLeaves);
    }

    /**
     * Adds a problem line to {@code problems} for every key of {@code user} that reference.conf does
     * not define or that has the wrong shape.
     *
     * @return false when a shape problem makes the tree unreadable (an object where a value belongs or
     *         the reverse); unknown keys alone leave it readable
     */
    boolean check(ConfigObject user, List<String> problems) {
        boolean[] readable = {true};
        walk("", user, reference, problems, readable);
        return readable[0];
    }

    /** Entries in the order they were written (origin, then line), so problems come in file order. */
    private static List<Map.Entry<String, ConfigValue>> inWrittenOrder(ConfigObject obj) {
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(obj.entrySet());
        entries.sort(Comparator.comparing((Map.Entry<String, ConfigValue> e) -> source(e.getValue().origin()))
                .thenComparingInt(e -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        return entries;
    }

    private static String source(ConfigOrigin o) {
        return o.filename() != null ? o.filename() : o.resource() != null ? o.resource() : String.valueOf(o.description());
    }

    private void walk(String prefix, ConfigObject user, ConfigObject ref, List<String> problems, boolean[] readable) {
        for (Map.Entry<String, ConfigValue> e : inWrittenOrder(user)) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            ConfigValue refValue = ref.get(e.getKey());
            if (refValue == null) {
                problems.add(ConfigReader.where(e.getValue().origin()) + ": " + path + ": unknown key" + suggestion(path));
                continue;
            }
            if (FREE_FORM.contains(path)) {
                continue;
            }
            // instanceof, not valueType(): an unresolved ${…} has no type until resolve().
            boolean refIsObject = refValue instanceof ConfigObject;
            boolean userIsObject = e.getValue() instanceof ConfigObject;
            if (refIsObject && userIsObject) {
                walk(path, (ConfigObject) e.getValue(), (ConfigObject) refValue, problems, readable);
            } else if (refIsObject) {
                readable[0] = false;
                problems.add(ConfigReader.where(e.getValue().origin()) + ": " + path
                        + ": must be an object { … } (keys: " + String.join(", ", ((ConfigObject) refValue).keySet())
                        + "), got " + ConfigReader.render(e.getValue()));
            } else if (userIsObject) {
                readable[0] = false;
                problems.add(ConfigReader.where(e.getValue().origin()) + ": " + path
                        + ": is a single value, not an object; unknown key(s) "
                        + String.join(", ", ((ConfigObject) e.getValue()).keySet()) + " under it");
            }
        }
    }

    /** Keys that moved; an old config names the new place instead of a near miss. */
    private static final Map<String, String> MOVED = Map.of("model.tie-weights", "model.output.tie-embeddings");

    /** "; did you mean train.optimizer.lr?" or "" when nothing is close. */
    String suggestion(String path) {
        if (MOVED.containsKey(path)) {
            return "; it moved to " + MOVED.get(path);
        }
        String last = path.substring(path.lastIndexOf('.') + 1);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : referenceLeaves) {
            String candLast = candidate.substring(candidate.lastIndexOf('.') + 1);
            int score = candLast.equals(last) ? 0 : 1 + levenshtein(path, candidate);
            if (score < bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        int tolerance = Math.max(2, path.length() / 4);
        return best != null && bestScore - 1 <= tolerance ? "; did you mean " + best + "?" : "";
    }

    private static void collectLeaves(String prefix, ConfigObject obj, List<String> out) {
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof ConfigObject && !FREE_FORM.contains(path)) {
                collectLeaves(path, (ConfigObject) e.getValue(), out);
            } else {
                out.add(path);
            }
        }
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
