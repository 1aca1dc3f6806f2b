package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.layers.params.SuParamInitializer;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GradientCheckUtil (double precision, NoOp updater) for each cell x gate mode.
 *
 * <p>RHYTHMIC and FIXED: every gate offset is moved so that |a_{t,i}| >= margin > 0 on every step of the
 * test sequence (both open and closed steps occur), so H is locally constant and finite differences of
 * the cell parameters see the same open sets as the analytic pass. The gate parameters' finite
 * difference is then 0 while the STE gradient is not; in RHYTHMIC mode they are excluded here and
 * checked against the STE formula in {@link SuGateGradientTest}; in FIXED mode their gradient must be 0,
 * which the check verifies. SOFT and DENSE are checked on every parameter (their forward is smooth).
 * One input is right-padded (mask) so the masked-step rules are inside the check too.
 */
class SuGradientCheckTest {

    static Stream<Arguments> cases() {
        return Arrays.stream(CellType.selective())
                .flatMap(c -> Arrays.stream(GateMode.values()).map(m -> Arguments.of(c, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void analyticGradientsMatchFiniteDifferences(CellType cell, GateMode mode) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int steps = 9;
        MultiLayerNetwork net = SuNets.net(cell, 3, 4, 2, DataType.DOUBLE,
                b -> b.gateMode(mode).harmonics(2).initialUpdateRate(0.5).surrogateWidth(0.3).gateSeed(7));
        Set<String> exclude = Collections.emptySet();
        if (mode == GateMode.RHYTHMIC || mode == GateMode.FIXED) {
            double margin = SuNets.centreGateOffsets(net.getLayer(0), steps);
            assertTrue(margin > 1e-3, "gate margin " + margin);
            if (mode == GateMode.RHYTHMIC) {
                exclude = new HashSet<>(Arrays.asList("0_" + SuParamInitializer.GATE_BIAS_KEY,
                        "0_" + SuParamInitializer.GATE_ALPHA_KEY, "0_" + SuParamInitializer.GATE_PHI_KEY,
                        "0_" + SuParamInitializer.GATE_OMEGA_KEY));
            }
        }
        INDArray x = SuNets.randn(DataType.DOUBLE, 11, 2, 3, steps);
        INDArray y = SuNets.randn(DataType.DOUBLE, 12, 2, 2, steps);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 2, steps);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(6, steps)).assign(0);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .excludeParams(exclude));
        assertTrue(ok, cell + " " + mode + " gradient check failed");
    }
}
