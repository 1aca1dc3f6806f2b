package io.surnn.driver.train;

import io.surnn.driver.config.ModelConfig;
import io.surnn.driver.config.OptimizerConfig;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.config.TrainConfig;
import io.surnn.ops.models.Networks;
import io.surnn.ops.models.DualEncoderBuilder;
import io.surnn.ops.models.LanguageModelBuilder;
import io.surnn.ops.models.Optimizer;
import io.surnn.ops.models.RecurrentModelBuilder;
import io.surnn.ops.models.SequenceClassifierBuilder;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import io.surnn.driver.config.ModelConfig;
import io.surnn.ops.layers.vocab.VocabClusters;
import io.surnn.ops.models.OutputSoftmax;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * Builds the network a run config asks for, through worker-ops's model builders, sized by the
 * dataset's manifest (vocabulary, classes). Language models are built with sparse labels
 * ({@link LossSparseMCXENT}): the same cross-entropy, but labels are [B, 1, T] class indices instead
 * of [B, V, T] one-hot arrays (at V = 33k and B·T = 2048 that is 67 M floats less per minibatch).
 * The dual encoder (PAIR datasets) is a ComputationGraph with one input, the two documents side by
 * side in time ({@link DualEncoderBuilder#stackPair}, laid out by {@code Minibatches.pair}); the
 * other families are MultiLayerNetworks.
 */
public final class ModelFactory {
    private ModelFactory() {}

    public static Model build(RunConfig c, DatasetManifest m) {
        if (c.model().family() == ModelConfig.Family.DUAL_ENCODER) {
            ComputationGraph graph = new ComputationGraph(graphConfiguration(c, m));
            graph.init();
            return graph;
        }
        MultiLayerConfiguration conf = configuration(c, m);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The parameter count of the network {@link #build} would make, without allocating it (for a
     * MultiLayerNetwork: each layer's parameter initializer counts from the built configuration).
     */
    public static long parameterCount(RunConfig c, DatasetManifest m) {
        if (c.model().family() == ModelConfig.Family.DUAL_ENCODER) {
            return build(c, m).numParams();
        }
        MultiLayerConfiguration conf = configuration(c, m);
        long n = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            org.deeplearning4j.nn.conf.NeuralNetConfiguration layer = conf.getConf(i);
            n += layer.getLayer().initializer().numParams(layer);
        }
        return n;
    }

    static MultiLayerConfiguration configuration(RunConfig c, DatasetManifest m) {
        ModelConfig model = c.model();
        switch (model.family()) {
            case CLASSIFIER: {
                requireKind(c, m, DatasetFormat.Kind.CLASSIFICATION);
                SequenceClassifierBuilder b = common(new SequenceClassifierBuilder(), c, m)
                        .numClasses(m.numClasses)
                        .readout(model.pooling());
                return b.build();
            }
            case LM: {
                // next-token LM datasets, and COPY (per-step outputs on the labelled steps: selective copy)
                if (m.kind != DatasetFormat.Kind.COPY) requireKind(c, m, DatasetFormat.Kind.LM);
                ModelConfig.Output out = model.output();
                String bad = out.cutoffs() == null ? null : VocabClusters.problem(m.vocabSize, out.cutoffs());
                if (bad != null && out.softmax() == OutputSoftmax.ADAPTIVE) {
                    throw new IllegalArgumentException(c.source() + ": model.output.cutoffs: " + bad);
                }
                LanguageModelBuilder b = common(new LanguageModelBuilder(), c, m)
                        .tbpttLength(c.train().tbptt()).sparseLabels(m.kind == DatasetFormat.Kind.LM)
                        .softmax(out.softmax()).cutoffs(out.cutoffs()).tailShrink(out.tailShrink())
                        .tieEmbeddings(out.tieEmbeddings());
                return b.build();
            }
            default:
                throw new IllegalArgumentException(c.source() + ": model.family: " + model.family().configName()
                        + " builds a ComputationGraph, not a MultiLayerNetwork");
        }
    }

    /** The dual encoder for a PAIR dataset: shared encoder, [u, v, u⊙v, u−v] head of width {@code model.hidden}. */
    static ComputationGraphConfiguration graphConfiguration(RunConfig c, DatasetManifest m) {
        requireKind(c, m, DatasetFormat.Kind.PAIR);
        ModelConfig model = c.model();
        return common(new DualEncoderBuilder(), c, m)
                .numClasses(m.numClasses)
                .mlpSize(model.hidden())
                .readout(model.pooling())
                .build();
    }

    private static <B extends RecurrentModelBuilder<B>> B common(B b, RunConfig c, DatasetManifest m) {
        ModelConfig model = c.model();
        TrainConfig t = c.train();
        OptimizerConfig o = t.optimizer();
        b.cell(model.cell())
                .gateMode(model.gate().mode())
                .harmonics(model.gate().harmonics())
                .surrogate(model.gate().surrogate())
                .surrogateWidth(model.gate().width())
                .initialUpdateRate(model.gate().initialUpdateRate())
                .sparse(model.sparse())
                .vocabSize(m.vocabSize)
                .embeddingSize(model.embedding())
                .hiddenSize(model.hidden())
                .layers(model.layers())
                .dropout(model.dropout())
                .seed(t.seed())
                .optimizer(o.name())
                .learningRate(o.lr());
        if (o.weightDecay() > 0) {
            if (o.name() == Optimizer.ADAMW) {
                b.weightDecay(o.weightDecay());
            } else {
                b.l2(o.weightDecay());
            }
        }
        if (t.clip() > 0) {
            b.gradientClipping(GradientNormalization.ClipL2PerLayer, t.clip());
        } else {
            b.gradientClipping(GradientNormalization.None, 0);
        }
        return b;
    }

    private static void requireKind(RunConfig c, DatasetManifest m, DatasetFormat.Kind kind) {
        if (m.kind != kind) {
            throw new IllegalArgumentException(c.source() + ": model.family = " + c.model().family().configName()
                    + " needs a " + kind + " dataset, but " + c.data().path() + " holds " + m.kind + " (task " + m.task + ")");
        }
    }

    /** True when the network's output layer reads class-index labels ([B, 1, T]). */
    public static boolean usesSparseLabels(Model net) {
        Layer out = Networks.outputLayerConf(net);
        return out instanceof BaseOutputLayer && ((BaseOutputLayer) out).getLossFn() instanceof LossSparseMCXENT;
    }
}
