package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.GateSchedule;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.kernel.Buf;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.layers.kernel.SuKernel;
import io.surnn.ops.layers.kernel.Threads;
import io.surnn.ops.layers.reference.ReferenceKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native kernel against the plain-Java float64 reference kernel (tests' {@link ReferenceKernel}):
 * in float64 every output and gradient agrees to rounding (1e-10 of the array's scale); in float32 to
 * float precision (2e-4). For every cell, the dense reference path and the sparse path in both of its
 * modes (per-step products at low density, whole-window products at high density), with a padded
 * sequence, a non-zero initial state and truncated BPTT.
 */
class SuKernelAgreementTest {

    /** How the schedule is made: dense path, sparse at low density (step mode), sparse at high density. */
    enum Path { DENSE, SPARSE_STEP, SPARSE_WINDOW }

    static Stream<Arguments> cases() {
        Stream<Arguments> small = Arrays.stream(CellType.selective()).flatMap(c -> Arrays.stream(Path.values())
                .flatMap(p -> Stream.of(-1, 9).map(tb -> Arguments.of(c, p, tb, 12, 3))));
        // wide enough that a step's element-wise work is split between two threads (Threads.MIN_SPLIT)
        Stream<Arguments> wide = Arrays.stream(CellType.selective()).flatMap(c -> Arrays.stream(Path.values())
                .map(p -> Arguments.of(c, p, -1, 360, 48)));
        return Stream.concat(small, wide);
    }

    @ParameterizedTest(name = "{0} {1} tbptt {2} hidden {3} batch {4}")
    @MethodSource("cases")
    void nativeKernelAgreesWithReference(CellType cell, Path path, int tbptt, int hidden, int batch) {
        int in = 5;
        int steps = hidden > 100 ? 6 : 23;
        KernelFixture fx = new KernelFixture(cell, in, hidden, batch, 11 + cell.ordinal());
        double keepScale = Math.sqrt(12.0 / hidden); // pre-activations of the same size at any width
        for (double[] m : new double[][]{fx.w, fx.rw}) {
            for (int q = 0; q < m.length; q++) {
                m[q] *= keepScale;
            }
        }
        double shift = path == Path.SPARSE_STEP ? -1.2 : path == Path.SPARSE_WINDOW ? 1.0 : 0.0;
        for (int i = 0; i < hidden; i++) {
            fx.gb[i] += shift;
        }
        double[] x = fx.gauss(steps * batch * in, 1.0);
        double[] eps = fx.gauss(steps * batch * hidden, 1.0);
        double[] h0 = fx.gauss(batch * hidden, 0.5);
        double[] c0 = fx.gauss(batch * hidden, 0.5);
        double[] mask = new double[steps * batch];
        Arrays.fill(mask, 1.0);
        for (int t = 15; t < steps; t++) {
            mask[t * batch + 1] = 0; // sequence 1 is padded after 15 steps
        }
        GateSchedule sch = fx.schedule(GateMode.RHYTHMIC, Surrogate.TRIANGLE, 0.5, 3, steps, true,
                path != Path.DENSE);

        ReferenceKernel ref = fx.kernel();
        ReferenceKernel.Forward rf = ref.forward(x, batch, steps, h0, c0, mask, sch, true);
        ReferenceKernel.Backward rb = ref.backward(rf, eps, tbptt, true);

        long splitsBefore = Threads.splits();
        Result d = run(DataType.DOUBLE, fx, x, eps, h0, c0, mask, sch, batch, steps, tbptt);
        if (path == Path.DENSE && (long) batch * hidden * cell.blocks >= Threads.MIN_SPLIT) {
            assertTrue(Threads.splits() > splitsBefore, "wide case: the element-wise work was split across threads");
        }
        boolean expectWindow = path != Path.SPARSE_STEP;
        assertEquals(expectWindow, d.window, "kernel mode for " + path + " (candidate density decides)");
        check(DataType.DOUBLE, "h", rf.hs, d.hs, 1e-10);
        if (cell == CellType.SULSTM) {
            check(DataType.DOUBLE, "c", rf.cs, d.cs, 1e-10);
        }
        check(DataType.DOUBLE, "dW", rb.dW, d.dW, 1e-10);
        check(DataType.DOUBLE, "dRW", rb.dRW, d.dRW, 1e-10);
        check(DataType.DOUBLE, "dBias", rb.dBias, d.dBias, 1e-10);
        check(DataType.DOUBLE, "dx", rb.dx, d.dx, 1e-10);
        check(DataType.DOUBLE, "dL/dg", rb.dLdg, d.dLdg, 1e-10);
        assertTrue(maxAbs(rb.dW) > 0 && maxAbs(rb.dLdg) > 0, "gradients reach the weights and the gate");

        Result f = run(DataType.FLOAT, fx, x, eps, h0, c0, mask, sch, batch, steps, tbptt);
        check(DataType.FLOAT, "h", d.hs, f.hs, 2e-4);
        check(DataType.FLOAT, "dW", d.dW, f.dW, 2e-4);
        check(DataType.FLOAT, "dRW", d.dRW, f.dRW, 2e-4);
        check(DataType.FLOAT, "dBias", d.dBias, f.dBias, 2e-4);
        check(DataType.FLOAT, "dx", d.dx, f.dx, 2e-4);
        check(DataType.FLOAT, "dL/dg", d.dLdg, f.dLdg, 2e-4);
    }

    /** What one native pass produced, as double arrays in the reference's layouts. */
    private static final class Result {
        double[] hs;
        double[] cs;
        double[] dW;
        double[] dRW;
        double[] dBias;
        double[] dx;
        double[] dLdg;
        boolean window;
    }

    private static Result run(DataType dt, KernelFixture fx, double[] x, double[] eps, double[] h0, double[] c0,
                              double[] mask, GateSchedule sch, int batch, int steps, int tbptt) {
        int g = fx.cell.blocks;
        SuKernel k = new SuKernel(fx.cell, fx.in, fx.hidden, dt);
        k.setParameters(Nd4j.create(fx.w, new long[]{fx.in, (long) g * fx.hidden}, 'c'),
                Nd4j.create(fx.rw, new long[]{fx.hidden, (long) g * fx.hidden}, 'c'),
                Nd4j.create(fx.bias, new long[]{fx.bias.length}, 'c'));
        Result r = new Result();
        try (SuKernel.Forward f = k.forward(buf(x, dt), batch, steps, buf(h0, dt), buf(c0, dt), mask, sch, true);
             Buf e = buf(eps, dt);
             SuKernel.Backward b = k.backward(f, e, tbptt, true)) {
            r.window = f.window;
            r.hs = doubles(f.hs, x.length / fx.in * fx.hidden);
            r.cs = f.cs == null ? null : doubles(f.cs, x.length / fx.in * fx.hidden);
            r.dW = k.toParameterLayout(b.dW, fx.in).castTo(DataType.DOUBLE).data().asDouble();
            r.dRW = k.toParameterLayout(b.dRW, fx.hidden).castTo(DataType.DOUBLE).data().asDouble();
            r.dBias = b.dBias.clone();
            r.dx = doubles(b.dx, x.length);
            r.dLdg = b.dLdg.clone();
        }
        return r;
    }

    private static Buf buf(double[] v, DataType dt) {
        return Buf.copyOf(Nd4j.create(v, new long[]{v.length}, 'c'), dt);
    }

    /** The first n values (pooled buffers may be longer than what a pass used). */
    private static double[] doubles(Buf b, int n) {
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.get(i);
        }
        return v;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static void check(DataType dt, String what, double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = Math.max(1e-3, maxAbs(expected));
        double diff = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= diff)) {
                diff = d;
                at = i;
            }
        }
        assertTrue(diff <= rel * scale, dt + " " + what + ": max |diff| " + diff + " at " + at + " (scale " + scale
                + ", tolerance " + rel + " of scale)");
    }
}
