package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.GateSchedule;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.layers.reference.ReferenceKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel-level properties: bitwise carry of closed neurons over a long sequence, and the
 * straight-through gradient of the gate parameters.
 */
class SuKernelTest {

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void closedNeuronsKeepStateBitwiseOver4096Steps(CellType cell) {
        KernelFixture fx = new KernelFixture(cell, 3, 8, 2, 17);
        int steps = 4096;
        double[] x = fx.gauss(steps * fx.batch * fx.in, 1.0);
        double[] h0 = fx.gauss(fx.batch * fx.hidden, 1.0);
        double[] c0 = fx.gauss(fx.batch * fx.hidden, 1.0);
        fx.gb[0] = -100; // neuron 0 never opens: its initial state must survive 4096 steps bitwise
        GateSchedule s = fx.schedule(GateMode.RHYTHMIC, Surrogate.TRIANGLE, 0.3, 0, steps, true, true);
        ReferenceKernel.Forward f = fx.kernel().forward(x, fx.batch, steps, h0, c0, null, s, true);
        int bh = fx.batch * fx.hidden;
        long closed = 0;
        long open = 0;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < fx.batch; b++) {
                for (int i = 0; i < fx.hidden; i++) {
                    int at = t * bh + b * fx.hidden + i;
                    double prevH = t == 0 ? h0[b * fx.hidden + i] : f.hs[at - bh];
                    if (s.g[t * fx.hidden + i] == 0) {
                        closed++;
                        assertEquals(Double.doubleToRawLongBits(prevH), Double.doubleToRawLongBits(f.hs[at]),
                                "h carried at t=" + t + " i=" + i);
                        if (f.cs != null) {
                            double prevC = t == 0 ? c0[b * fx.hidden + i] : f.cs[at - bh];
                            assertEquals(Double.doubleToRawLongBits(prevC), Double.doubleToRawLongBits(f.cs[at]),
                                    "c carried at t=" + t + " i=" + i);
                        }
                    } else {
                        open++;
                    }
                }
            }
            for (int b = 0; b < fx.batch; b++) {
                assertEquals(Double.doubleToRawLongBits(h0[b * fx.hidden]),
                        Double.doubleToRawLongBits(f.hs[t * bh + b * fx.hidden]), "never-open neuron at t=" + t);
            }
        }
        assertTrue(closed > 10_000 && open > 5_000, "both closed and open steps occur: " + closed + "/" + open);
    }

    /**
     * The STE gradient of the gate parameters is dL/dtheta = sum_{t,i} dL/dg_{t,i} s(a_{t,i}) da_{t,i}/dtheta,
     * where dL/dg is the derivative of the loss with respect to a relaxed (real-valued) switch in
     * h_t = h_{t-1} + g (f - h_{t-1}). Both factors are checked against finite differences: dL/dg by
     * perturbing g_{t,i} in the schedule, da/dtheta by perturbing the gate parameter.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void gateGradientIsTheStraightThroughEstimate(CellType cell) {
        KernelFixture fx = new KernelFixture(cell, 2, 3, 2, 5);
        int steps = 12;
        int t0 = 5;
        double[] x = fx.gauss(steps * fx.batch * fx.in, 1.0);
        double[] r = fx.gauss(steps * fx.batch * fx.hidden, 1.0);       // L = sum(r * h)
        double[] h0 = new double[fx.batch * fx.hidden];
        double[] c0 = new double[fx.batch * fx.hidden];
        Surrogate sur = Surrogate.TRIANGLE;
        double width = 1.0;
        ReferenceKernel k = fx.kernel();
        // dense schedule: every row's candidate is computed, so any g can be perturbed
        GateSchedule s = fx.schedule(GateMode.RHYTHMIC, sur, width, t0, steps, true, false);
        ReferenceKernel.Forward f = k.forward(x, fx.batch, steps, h0, c0, null, s, true);
        ReferenceKernel.Backward bw = k.backward(f, r, -1, true);
        double eps = 1e-6;
        for (int q = 0; q < steps * fx.hidden; q++) {
            double g0 = s.g[q];
            s.g[q] = g0 + eps;
            double lp = dot(r, k.forward(x, fx.batch, steps, h0, c0, null, s, false).hs);
            s.g[q] = g0 - eps;
            double lm = dot(r, k.forward(x, fx.batch, steps, h0, c0, null, s, false).hs);
            s.g[q] = g0;
            assertEquals((lp - lm) / (2 * eps), bw.dLdg[q], 1e-6, "dL/dg at " + q);
        }
        int h = fx.hidden;
        int kk = fx.omega.length;
        double[] gB = new double[h];
        double[] gA = new double[h * kk];
        double[] gP = new double[h * kk];
        double[] gO = new double[kk];
        s.accumulateGateGradients(bw.dLdg, fx.alpha, fx.phi, fx.omega, 0, gB, gA, gP, gO);
        double[][] params = {fx.gb, fx.alpha, fx.phi, fx.omega};
        double[][] grads = {gB, gA, gP, gO};
        int nonZero = 0;
        for (int p = 0; p < params.length; p++) {
            for (int j = 0; j < params[p].length; j++) {
                double expected = 0;
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < h; i++) {
                        double a = KernelFixture.gateA(fx.gb, fx.alpha, fx.phi, fx.omega, i, t0 + t);
                        double keep = params[p][j];
                        params[p][j] = keep + eps;
                        double ap = KernelFixture.gateA(fx.gb, fx.alpha, fx.phi, fx.omega, i, t0 + t);
                        params[p][j] = keep - eps;
                        double am = KernelFixture.gateA(fx.gb, fx.alpha, fx.phi, fx.omega, i, t0 + t);
                        params[p][j] = keep;
                        expected += bw.dLdg[t * h + i] * sur.derivative(a, width) * (ap - am) / (2 * eps);
                    }
                }
                assertEquals(expected, grads[p][j], 1e-6 * Math.max(1, Math.abs(expected)), "gate param " + p + "/" + j);
                nonZero += grads[p][j] != 0 ? 1 : 0;
            }
        }
        assertTrue(nonZero > 10, "the surrogate reaches the gate parameters");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
