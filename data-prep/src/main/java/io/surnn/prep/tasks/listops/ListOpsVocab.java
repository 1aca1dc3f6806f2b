package io.surnn.prep.tasks.listops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ListOps vocabulary (fixed; vocab.txt): 0 = {@code <pad>}, 1..10 = digits 0..9,
 * 11..14 = {@code [MIN [MAX [MED [SM}, 15 = {@code X} (LRA writes {@code ]} as X). Encoding follows
 * LRA's input pipeline: replace {@code ]} by X, delete parentheses, split on whitespace.
 */
public final class ListOpsVocab {
    private ListOpsVocab() {}

    public static final int PAD_ID = 0;
    public static final int CLOSE_ID = 15;
    public static final List<String> TOKENS;
    private static final Map<String, Integer> IDS;

    static {
        List<String> t = new ArrayList<>();
        t.add("<pad>");
        for (int d = 0; d <= 9; d++) t.add(Integer.toString(d));
        t.addAll(ListOpsTree.OPERATORS);
        t.add("X");
        TOKENS = List.copyOf(t);
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < t.size(); i++) m.put(t.get(i), i);
        IDS = Map.copyOf(m);
    }

    public static int digitId(int d) { return 1 + d; }

    /** Id of a token as it appears after LRA's rewriting; -1 if unknown. */
    public static int id(String token) {
        Integer i = IDS.get(token);
        return i == null ? -1 : i;
    }

    /**
     * A TSV "Source" text → ids. Returns null-free ids; throws IllegalArgumentException naming the
     * first unknown token.
     */
    public static int[] encode(String source) {
        String s = source.replace("]", "X").replace("(", " ").replace(")", " ");
        String[] parts = s.trim().isEmpty() ? new String[0] : s.trim().split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = id(parts[i]);
            if (out[i] < 0 || out[i] == PAD_ID) {
                throw new IllegalArgumentException("unknown token '" + parts[i] + "' at position " + i);
            }
        }
        return out;
    }
}
