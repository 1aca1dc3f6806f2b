package io.surnn.ops.layers.params;

import io.surnn.ops.gate.GateInit;
import io.surnn.ops.layers.conf.SuLayerConf;
import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a su-layer as views of the one flat parameter array DL4J hands the layer.
 *
 * <p>Design note: the flat order is W, RW, b, gb, galpha, gphi, gomega, each a 'c'-order reshape of a
 * contiguous interval, so the same offsets serve the parameter and the gradient arrays. Notation:
 * I = nIn, H = nOut, G = gate blocks of the cell (RNN 1, GRU 3, LSTM 4), NB = bias blocks (RNN 1, GRU 4,
 * LSTM 4), K = harmonics. Block order inside W/RW/b: RNN [pre]; GRU [r, z, n] (+ b_hn in b);
 * LSTM [i, f, o, g]. Neuron i of block j is column {@code j*H + i}.
 */
public abstract class SuParamInitializer implements ParamInitializer {

    /** "W": input weights, shape [I, G*H]; column j*H+i feeds block j of neuron i. */
    public static final String INPUT_WEIGHT_KEY = "W";
    /** "RW": recurrent weights, shape [H, G*H]; row = previous state neuron, column as in W. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** "b": cell biases, shape [1, NB*H] (GRU: [b_r, b_z, b_n, b_hn]; LSTM: [b_i, b_f, b_o, b_g]). */
    public static final String BIAS_KEY = "b";
    /** "gb": gate offset b_i per neuron, shape [1, H]; sets the neuron's update rate. */
    public static final String GATE_BIAS_KEY = "gb";
    /** "galpha": gate amplitudes alpha_{i,k}, shape [H, K]. */
    public static final String GATE_ALPHA_KEY = "galpha";
    /** "gphi": gate phases phi_{i,k} (radians), shape [H, K]. */
    public static final String GATE_PHI_KEY = "gphi";
    /** "gomega": gate angular frequencies omega_k (radians per step), shared by the layer, shape [1, K]. */
    public static final String GATE_OMEGA_KEY = "gomega";

    private static final List<String> KEYS = Collections.unmodifiableList(Arrays.asList(INPUT_WEIGHT_KEY,
            RECURRENT_WEIGHT_KEY, BIAS_KEY, GATE_BIAS_KEY, GATE_ALPHA_KEY, GATE_PHI_KEY, GATE_OMEGA_KEY));
    private static final List<String> WEIGHT_KEYS =
            Collections.unmodifiableList(Arrays.asList(INPUT_WEIGHT_KEY, RECURRENT_WEIGHT_KEY));
    private static final List<String> BIAS_KEYS = Collections.unmodifiableList(Arrays.asList(BIAS_KEY,
            GATE_BIAS_KEY, GATE_ALPHA_KEY, GATE_PHI_KEY, GATE_OMEGA_KEY));

    private final CellType cell;

    protected SuParamInitializer(CellType cell) {
        this.cell = cell;
    }

    /** The initializer of a cell family. */
    public static SuParamInitializer forCell(CellType cell) {
        switch (cell) {
            case SURNN:
                return SuRnnParamInitializer.INSTANCE;
            case SUGRU:
                return SuGruParamInitializer.INSTANCE;
            case SULSTM:
                return SuLstmParamInitializer.INSTANCE;
            default:
                throw new IllegalStateException("unreachable: " + cell);
        }
    }

    public CellType cell() {
        return cell;
    }

    /** Shapes of every parameter in flat order, for a layer configuration. */
    public Map<String, long[]> shapes(SuLayerConf c) {
        long in = c.getNIn();
        long h = c.getNOut();
        long k = c.getHarmonics();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(INPUT_WEIGHT_KEY, new long[]{in, cell.blocks * h});
        m.put(RECURRENT_WEIGHT_KEY, new long[]{h, cell.blocks * h});
        m.put(BIAS_KEY, new long[]{1, cell.biasBlocks * h});
        m.put(GATE_BIAS_KEY, new long[]{1, h});
        m.put(GATE_ALPHA_KEY, new long[]{h, k});
        m.put(GATE_PHI_KEY, new long[]{h, k});
        m.put(GATE_OMEGA_KEY, new long[]{1, k});
        return m;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return ParamViews.count(shapes(su(layer)));
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return BIAS_KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEYS.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEYS.contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        SuLayerConf c = su(conf.getLayer());
        Map<String, INDArray> views = split(c, paramsView);
        if (initializeParams) {
            initialise(c, views);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split(su(conf.getLayer()), gradientView);
    }

    private Map<String, INDArray> split(SuLayerConf c, INDArray flatView) {
        return ParamViews.split(c.describe(), flatView, shapes(c));
    }

    private void initialise(SuLayerConf c, Map<String, INDArray> v) {
        long in = c.getNIn();
        long h = c.getNOut();
        IWeightInit wInit = c.getWeightInitFn();
        IWeightInit rwInit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : wInit;
        INDArray w = v.get(INPUT_WEIGHT_KEY);
        INDArray rw = v.get(RECURRENT_WEIGHT_KEY);
        w.assign(wInit.init(in, h, w.shape(), 'c', w));
        rw.assign(rwInit.init(h, h, rw.shape(), 'c', rw));
        INDArray b = v.get(BIAS_KEY);
        b.assign(c.getBiasInit());
        initBias(b, h);
        long seed = c.getGateSeed() != null ? c.getGateSeed() : Nd4j.getRandom().nextLong();
        GateInit.initialise((int) h, c.getHarmonics(), c.getInitialUpdateRate(), seed, v.get(GATE_BIAS_KEY),
                v.get(GATE_ALPHA_KEY), v.get(GATE_PHI_KEY), v.get(GATE_OMEGA_KEY));
    }

    /** Family-specific bias adjustments after b = biasInit (e.g. the LSTM forget gate). */
    protected void initBias(INDArray b, long h) {
    }

    private static SuLayerConf su(Layer layer) {
        if (!(layer instanceof SuLayerConf)) {
            throw new IllegalArgumentException("su-layer parameter initializer used with "
                    + (layer == null ? "null" : layer.getClass().getName()));
        }
        return (SuLayerConf) layer;
    }
}
