package io.surnn.prep.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * manifest.json of a dataset directory (see {@link DatasetFormat}). Plain fields, snake_case in
 * JSON; read and written only through {@link #read} and {@link #write} so both sides agree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public final class DatasetManifest {

    @JsonProperty("format_version") public int formatVersion = DatasetFormat.FORMAT_VERSION;
    /** Task name as given to {@code surnn prep}, e.g. "wikitext", "listops". */
    @JsonProperty("task") public String task;
    @JsonProperty("kind") public DatasetFormat.Kind kind;
    /** Split name → its records, tokens and shards, in {@link DatasetFormat#SPLITS} order. */
    @JsonProperty("splits") public Map<String, Split> splits = new LinkedHashMap<>();
    /** Number of distinct input token ids (ids are in [0, vocab_size)). */
    @JsonProperty("vocab_size") public int vocabSize;
    /** The vocabulary file name inside the directory, or null if the task has none (bytes, pixels). */
    @JsonProperty("vocab_file") public String vocabFile;
    /** Id used to pad sequences to a common length at training time, or -1 if never padded. */
    @JsonProperty("pad_id") public int padId = -1;
    /** LM: BPTT length (windows hold seq_len+1 tokens). Others: maximum sequence length. */
    @JsonProperty("seq_len") public int seqLen;
    @JsonProperty("num_classes") public int numClasses;
    /** Human-readable label names, index = label id (may be empty for LM). */
    @JsonProperty("labels") public List<String> labels = new ArrayList<>();
    @JsonProperty("seed") public Long seed;
    /** Input paths or generator name, as given by the user. */
    @JsonProperty("sources") public List<String> sources = new ArrayList<>();
    @JsonProperty("tool_version") public String toolVersion;
    @JsonProperty("created_at") public String createdAt;
    /** Options of the prep job that shaped the data (e.g. level=word, permuted=true). */
    @JsonProperty("options") public Map<String, String> options = new LinkedHashMap<>();
    /** Reason → count of records skipped under --on-bad-record skip (empty when none). */
    @JsonProperty("skipped") public Map<String, Long> skipped = new LinkedHashMap<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Split {
        @JsonProperty("records") public long records;
        /** Total token count (LM: the stream length; others: sum of sequence lengths). */
        @JsonProperty("tokens") public Long tokens;
        @JsonProperty("shards") public List<Shard> shards = new ArrayList<>();
    }

    public static final class Shard {
        /** Path relative to the dataset directory, e.g. "train/part-00000.parquet". */
        @JsonProperty("file") public String file;
        @JsonProperty("bytes") public long bytes;
        /** Hex SHA-256 of the file's bytes. */
        @JsonProperty("sha256") public String sha256;
        @JsonProperty("records") public long records;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static DatasetManifest read(InputStream in, String where) throws IOException {
        try {
            DatasetManifest m = MAPPER.readValue(in, DatasetManifest.class);
            if (m.formatVersion != DatasetFormat.FORMAT_VERSION) {
                throw new IOException(where + ": format_version " + m.formatVersion
                        + " is not supported (this build reads " + DatasetFormat.FORMAT_VERSION + ")");
            }
            return m;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(where + ": not a valid manifest: " + e.getOriginalMessage(), e);
        }
    }

    public void write(OutputStream out) throws IOException {
        MAPPER.writeValue(out, this);
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
