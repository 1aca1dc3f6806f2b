package io.surnn.ops.layers.conf;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.SuRecurrentLayer;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.layers.params.SuParamInitializer;
import io.surnn.ops.models.Defaults;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Shared configuration of the selective-update layers (docs/method.md §2).
 *
 * <p>Design note: the configuration only holds plain fields (JSON via DL4J's field-visible Jackson
 * mapper, "@class" carries the concrete type); the cell family is fixed by the subclass
 * ({@link #cellType()}), so one runtime layer ({@link SuRecurrentLayer}) and one parameter initializer
 * per family serve all three. The Builder's defaults are io.surnn.ops.models.Defaults' constants.
 * {@link #validate()} runs in {@code build()} and again when a layer is instantiated (configurations
 * read from JSON never went through a builder).
 */
public abstract class SuLayerConf extends BaseRecurrentLayer {

    protected GateMode gateMode;
    protected int harmonics;
    protected Surrogate surrogate;
    protected double surrogateWidth;
    protected double initialUpdateRate;
    protected boolean sparse;
    /** Seed of the gate initialisation; null = drawn from ND4J's random generator (the network seed). */
    protected Long gateSeed;

    /** For JSON. */
    protected SuLayerConf() {
    }

    protected SuLayerConf(Builder<?> b) {
        super(b);
        this.gateMode = b.gateMode;
        this.harmonics = b.harmonics;
        this.surrogate = b.surrogate;
        this.surrogateWidth = b.surrogateWidth;
        this.initialUpdateRate = b.initialUpdateRate;
        this.sparse = b.sparse;
        this.gateSeed = b.gateSeed;
        if (this.rnnDataFormat == null) {
            this.rnnDataFormat = org.deeplearning4j.nn.conf.RNNFormat.NCW;
        }
    }

    /** The candidate cell f_theta of this layer. */
    public abstract CellType cellType();

    /** Short name used in messages ("SuGru"), followed by the layer name when one is set. */
    public String describe() {
        String n = getLayerName();
        return getClass().getSimpleName() + (n == null ? "" : " '" + n + "'");
    }

    /** Checks every field; throws IllegalArgumentException naming the layer, the field and the value. */
    public void validate() {
        if (nIn < 1) {
            throw bad("nIn", nIn, "must be >= 1");
        }
        if (nOut < 1) {
            throw bad("nOut", nOut, "must be >= 1");
        }
        if (harmonics < 1) {
            throw bad("harmonics", harmonics, "must be >= 1");
        }
        if (!(surrogateWidth > 0) || Double.isInfinite(surrogateWidth)) {
            throw bad("surrogateWidth", surrogateWidth, "must be > 0 and finite");
        }
        if (!(initialUpdateRate > 0 && initialUpdateRate <= 1)) {
            throw bad("initialUpdateRate", initialUpdateRate, "must be in (0, 1]");
        }
        if (gateMode == null) {
            throw bad("gateMode", null, "must be set");
        }
        if (surrogate == null) {
            throw bad("surrogate", null, "must be set");
        }
    }

    private IllegalArgumentException bad(String field, Object value, String rule) {
        return new IllegalArgumentException(describe() + ": " + field + " = " + value + " " + rule);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        validate();
        SuRecurrentLayer ret = new SuRecurrentLayer(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return SuParamInitializer.forCell(cellType());
    }

    /** Weight decay applies to W and RW only; biases get the bias regularisation, gate params none. */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (SuParamInitializer.INPUT_WEIGHT_KEY.equals(paramName)
                || SuParamInitializer.RECURRENT_WEIGHT_KEY.equals(paramName)) {
            return regularization;
        }
        if (SuParamInitializer.BIAS_KEY.equals(paramName)) {
            return regularizationBias;
        }
        return Collections.emptyList();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
                .standardMemory(params, params)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    public GateMode getGateMode() {
        return gateMode;
    }

    public void setGateMode(GateMode gateMode) {
        this.gateMode = gateMode;
    }

    public int getHarmonics() {
        return harmonics;
    }

    public void setHarmonics(int harmonics) {
        this.harmonics = harmonics;
    }

    public Surrogate getSurrogate() {
        return surrogate;
    }

    public void setSurrogate(Surrogate surrogate) {
        this.surrogate = surrogate;
    }

    public double getSurrogateWidth() {
        return surrogateWidth;
    }

    public void setSurrogateWidth(double surrogateWidth) {
        this.surrogateWidth = surrogateWidth;
    }

    public double getInitialUpdateRate() {
        return initialUpdateRate;
    }

    public void setInitialUpdateRate(double initialUpdateRate) {
        this.initialUpdateRate = initialUpdateRate;
    }

    public boolean isSparse() {
        return sparse;
    }

    public void setSparse(boolean sparse) {
        this.sparse = sparse;
    }

    public Long getGateSeed() {
        return gateSeed;
    }

    public void setGateSeed(Long gateSeed) {
        this.gateSeed = gateSeed;
    }

    @Override
    public String toString() {
        return describe() + "(nIn=" + nIn + ", nOut=" + nOut + ", gateMode=" + gateMode + ", harmonics="
                + harmonics + ", surrogate=" + surrogate + "(" + surrogateWidth + "), p0=" + initialUpdateRate
                + ", sparse=" + sparse + ", gateSeed=" + gateSeed + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SuLayerConf) || o.getClass() != getClass() || !super.equals(o)) {
            return false;
        }
        SuLayerConf c = (SuLayerConf) o;
        return gateMode == c.gateMode && harmonics == c.harmonics && surrogate == c.surrogate
                && surrogateWidth == c.surrogateWidth && initialUpdateRate == c.initialUpdateRate
                && sparse == c.sparse && java.util.Objects.equals(gateSeed, c.gateSeed);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), gateMode, harmonics, surrogate, surrogateWidth,
                initialUpdateRate, sparse, gateSeed);
    }

    /**
     * Builder with the su-specific options. Defaults are {@link Defaults}' (gate RHYTHMIC, K = 4 harmonics,
     * TRIANGLE surrogate of width 1.0, initial update rate 0.2, sparse path on); the gate seed comes from
     * the network's RNG.
     */
    @SuppressWarnings("unchecked")
    public abstract static class Builder<T extends Builder<T>> extends BaseRecurrentLayer.Builder<T> {
        protected GateMode gateMode = Defaults.GATE_MODE;
        protected int harmonics = Defaults.HARMONICS;
        protected Surrogate surrogate = Defaults.SURROGATE;
        protected double surrogateWidth = Defaults.SURROGATE_WIDTH;
        protected double initialUpdateRate = Defaults.INITIAL_UPDATE_RATE;
        protected boolean sparse = Defaults.SPARSE;
        protected Long gateSeed = null;

        /** RHYTHMIC (default), FIXED, SOFT or DENSE. */
        public T gateMode(GateMode mode) {
            this.gateMode = mode;
            return (T) this;
        }

        /** Number K of shared frequencies (sine harmonics) of the gate, K >= 1 (default 4). */
        public T harmonics(int k) {
            this.harmonics = k;
            return (T) this;
        }

        /** Straight-through surrogate (default TRIANGLE). */
        public T surrogate(Surrogate s) {
            this.surrogate = s;
            return (T) this;
        }

        /** Surrogate width w > 0 (default 1.0). */
        public T surrogateWidth(double w) {
            this.surrogateWidth = w;
            return (T) this;
        }

        /** Target fraction p0 in (0, 1] of open (neuron, step) pairs at initialisation (default 0.2). */
        public T initialUpdateRate(double p0) {
            this.initialUpdateRate = p0;
            return (T) this;
        }

        /** True (default): mask-aware sparse compute; false: dense reference (all rows, then select). */
        public T sparse(boolean sparse) {
            this.sparse = sparse;
            return (T) this;
        }

        /** Seed of the gate-parameter initialisation (default: drawn from the network's RNG). */
        public T gateSeed(long seed) {
            this.gateSeed = seed;
            return (T) this;
        }

        protected <L extends SuLayerConf> L checked(L conf) {
            conf.validate();
            return conf;
        }
    }
}
