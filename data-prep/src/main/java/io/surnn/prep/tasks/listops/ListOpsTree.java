package io.surnn.prep.tasks.listops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One ListOps expression tree, generated as LRA's listops.py does (docs/data-prep.md, "listops"):
 * at depth &lt; max_depth draw r ~ U[0,1), else
 * r = 1; r &gt; 0.25 → a digit leaf; otherwise an operator node with randint(2, max_args) children
 * generated at depth+1, then its operator drawn uniformly from MIN, MAX, MED, SM (draws in the
 * same order as the reference: r, child count, children, operator).
 *
 * <p>{@link #length} counts operator, digit and {@code ]} tokens (not parentheses), as the
 * reference's length bounds do. {@link #render} is the TSV "Source" text with the reference's
 * left-nested parentheses; {@link #tokens} is the LRA model input (no parentheses, {@code ]} → X).
 */
public final class ListOpsTree {
    public static final double VALUE_P = 0.25;
    public static final List<String> OPERATORS = List.of("[MIN", "[MAX", "[MED", "[SM");
    public static final String END = "]";

    final String op;                    // null for a leaf
    final int digit;                    // leaf value
    final List<ListOpsTree> children;   // empty for a leaf
    final int length;

    private ListOpsTree(String op, int digit, List<ListOpsTree> children, int length) {
        this.op = op;
        this.digit = digit;
        this.children = children;
        this.length = length;
    }

    public int length() { return length; }

    /** A digit leaf (tests and hand-built trees). */
    static ListOpsTree leaf(int digit) {
        return new ListOpsTree(null, digit, List.of(), 1);
    }

    /** An operator node over {@code kids} (tests and hand-built trees). */
    static ListOpsTree node(String op, ListOpsTree... kids) {
        int length = 2;
        for (ListOpsTree k : kids) length += k.length;
        return new ListOpsTree(op, 0, List.of(kids), length);
    }

    /** generate_tree(depth, max_depth, max_args). */
    public static ListOpsTree generate(SplittableRandom rng, int depth, int maxDepth, int maxArgs) {
        double r = depth < maxDepth ? rng.nextDouble() : 1.0;
        if (r > VALUE_P) {
            return new ListOpsTree(null, rng.nextInt(10), List.of(), 1);
        }
        int k = rng.nextInt(2, maxArgs + 1);       // randint(2, max_args), inclusive
        List<ListOpsTree> kids = new ArrayList<>(k);
        int length = 2;
        for (int i = 0; i < k; i++) {
            ListOpsTree c = generate(rng, depth + 1, maxDepth, maxArgs);
            kids.add(c);
            length += c.length;
        }
        String op = OPERATORS.get(rng.nextInt(OPERATORS.size()));
        return new ListOpsTree(op, 0, kids, length);
    }

    /** to_value: MIN, MAX, MED = int(numpy.median) (mean of the middle two, truncated), SM = sum mod 10. */
    public int value() {
        if (op == null) return digit;
        int[] v = new int[children.size()];
        for (int i = 0; i < v.length; i++) v[i] = children.get(i).value();
        switch (op) {
            case "[MIN": return Arrays.stream(v).min().getAsInt();
            case "[MAX": return Arrays.stream(v).max().getAsInt();
            case "[SM": return Arrays.stream(v).sum() % 10;
            case "[MED": {
                Arrays.sort(v);
                int n = v.length;
                return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            }
            default: throw new IllegalStateException(op);
        }
    }

    /** The reference's to_string: ((op, c1), c2) … , ']') rendered as "( a b )" pairs. */
    public String render() {
        StringBuilder sb = new StringBuilder(length * 4);
        render(sb);
        return sb.toString();
    }

    private void render(StringBuilder sb) {
        if (op == null) {
            sb.append(digit);
            return;
        }
        for (int i = 0; i <= children.size(); i++) sb.append("( ");
        sb.append(op);
        for (ListOpsTree c : children) {
            sb.append(' ');
            c.render(sb);
            sb.append(" )");
        }
        sb.append(" ] )");
    }

    /** Model input ids (LRA: parentheses dropped, ] → X), see {@link ListOpsVocab}. */
    public int[] tokens() {
        int[] out = new int[length];
        int n = fill(out, 0);
        if (n != length) throw new IllegalStateException("length " + length + " but " + n + " tokens");
        return out;
    }

    private int fill(int[] out, int at) {
        if (op == null) {
            out[at] = ListOpsVocab.digitId(digit);
            return at + 1;
        }
        out[at++] = ListOpsVocab.id(op);
        for (ListOpsTree c : children) at = c.fill(out, at);
        out[at++] = ListOpsVocab.CLOSE_ID;
        return at;
    }
}
