package io.surnn.driver.generate;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    private static MultiLayerNetwork lm(int vocab) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(4).build())
                .layer(new LSTM.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).activation(Activation.SOFTMAX).nIn(6).nOut(vocab).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void sameSeedSameTextAndStreamedTokensAreTheResult() {
        MultiLayerNetwork net = lm(7);
        List<Integer> streamed = new ArrayList<>();
        int[] a = new Sampler(net, 1.0, 0, 5).generate(new int[] {1, 2}, 12, streamed::add);
        int[] b = new Sampler(net, 1.0, 0, 5).generate(new int[] {1, 2}, 12, id -> { });
        assertArrayEquals(a, b);
        assertEquals(12, streamed.size());
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], streamed.get(i));
        }
    }

    @Test
    void greedyLimitFollowsTheModelsArgmaxWithStatefulSteps() {
        MultiLayerNetwork net = lm(7);
        int[] greedy = new Sampler(net, 1e-4, 1, 9).generate(new int[] {3}, 5, id -> { });
        // reference: the whole sequence re-run from scratch, argmax at its last step
        List<Integer> seq = new ArrayList<>(List.of(3));
        for (int g : greedy) {
            double[] ids = seq.stream().mapToDouble(Integer::doubleValue).toArray();
            INDArray out = net.output(Nd4j.create(ids, new long[] {1, 1, ids.length}));   // [1, V, T]
            int argmax = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(ids.length - 1)).argMax().getInt(0);
            assertEquals(argmax, g, "step " + seq.size());
            seq.add(g);
        }
    }

    @Test
    void topKOneIsGreedyWhateverTheTemperature() {
        MultiLayerNetwork net = lm(7);
        int[] hot = new Sampler(net, 50.0, 1, 1).generate(new int[] {2}, 6, id -> { });
        int[] cold = new Sampler(net, 0.01, 1, 2).generate(new int[] {2}, 6, id -> { });
        assertArrayEquals(cold, hot);
    }

    @Test
    void badSamplingSettingsAreRefused() {
        MultiLayerNetwork net = lm(5);
        assertThrows(IllegalArgumentException.class, () -> new Sampler(net, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(net, 1, -1, 1));
    }

    @Test
    void wordCodecRoundTripsAndMapsUnknownWords() {
        TextCodec c = new TextCodec(TextCodec.Level.WORD, List.of("the", "cat", "<unk>", "<eos>"));
        assertArrayEquals(new int[] {0, 1, 2}, c.encode("the  cat dog"));
        assertEquals("the", c.piece(0, true));
        assertEquals(" cat", c.piece(1, false));
        assertEquals("\n", c.piece(3, false));
        TextCodec noUnk = new TextCodec(TextCodec.Level.WORD, List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noUnk.encode("b"));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void byteCodecUsesUtf8Bytes() {
        TextCodec c = new TextCodec(TextCodec.Level.BYTE, List.of());
        assertArrayEquals(new int[] {0x68, 0xC3, 0xA9}, c.encode("hé"));
    }
}
