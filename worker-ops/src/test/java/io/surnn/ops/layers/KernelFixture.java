package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.GateSchedule;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.layers.reference.ReferenceKernel;

import java.util.Random;

/** Random kernel parameters, inputs and gate parameters for kernel-level tests (plain double[]). */
final class KernelFixture {
    final CellType cell;
    final int in;
    final int hidden;
    final int batch;
    final int k = 3;
    final double[] w;
    final double[] rw;
    final double[] bias;
    final double[] gb;
    final double[] alpha;
    final double[] phi;
    final double[] omega;
    final Random rnd;

    KernelFixture(CellType cell, int in, int hidden, int batch, long seed) {
        this.cell = cell;
        this.in = in;
        this.hidden = hidden;
        this.batch = batch;
        this.rnd = new Random(seed);
        w = gauss(in * cell.blocks * hidden, 0.5);
        rw = gauss(hidden * cell.blocks * hidden, 0.5);
        bias = gauss(cell.biasBlocks * hidden, 0.3);
        gb = gauss(hidden, 0.3);
        alpha = gauss(hidden * k, 0.7);
        phi = gauss(hidden * k, 2.0);
        omega = new double[]{0.9, 0.31, 0.07};
    }

    double[] gauss(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian() * scale;
        }
        return v;
    }

    ReferenceKernel kernel() {
        return new ReferenceKernel(cell, in, hidden, w, rw, bias);
    }

    GateSchedule schedule(GateMode mode, Surrogate s, double width, int t0, int steps, boolean grad, boolean sparse) {
        return GateSchedule.compute(mode, s, width, gb, alpha, phi, omega, t0, steps, grad, sparse);
    }

    /** a_{t,i} at absolute time t for the given parameter arrays. */
    static double gateA(double[] gb, double[] alpha, double[] phi, double[] omega, int i, double t) {
        int k = omega.length;
        double a = gb[i];
        for (int j = 0; j < k; j++) {
            a += alpha[i * k + j] * Math.sin(omega[j] * t + phi[i * k + j]);
        }
        return a;
    }
}
