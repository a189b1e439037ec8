package io.attrib4j.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code attrib4j serve} runs, as a YAML or JSON file, and {@link #start()} to run it:
 *
 * <pre>
 * port: 8080
 * apiKey: change-me            # optional
 * auditDb: attrib4j-audit      # H2 file or JDBC URL
 * signingKey: keys/audit.key   # optional: sign audit checkpoints (attrib4j audit keygen --out keys)
 * checkpointLog: /var/log/attrib4j/checkpoints.jsonl   # default: the H2 file's path + .checkpoints.jsonl,
 *                              # or attrib4j-audit.checkpoints.jsonl for a JDBC URL; keep it off the database's disk
 * cache: redis://127.0.0.1:6379   # memory (default), none, or a Redis shared by replicas
 * models:
 *   - name: credit
 *     model: credit.onnx       # zoo:patch, .pt, .onnx, SavedModel directory
 *     format: onnx-runtime     # optional: force a model format (here: forward only)
 *     exampleShape: [12]       # when the model does not declare it
 *     chain: ["kernelshap(samples=256)", "ablation"]   # method specs, tried in order within the budget;
 *                              # default: ["treeshap"] for tree ensembles, and for models with gradients
 *                              # ["ig(steps=32)", "ig(steps=8)", "saliency"]
 *     budgetMs: 500
 *     workers: 2
 *     queue: 64
 *     features: {0: "income too low", 3: "debt-to-income ratio too high"}   # reason codes
 * </pre>
 */
public final class ServeConfig {
    public Integer port;
    public String host;
    public String apiKey;
    public String auditDb;
    public String signingKey;
    public String checkpointLog;
    public String cache;
    public List<ModelConfig> models = new ArrayList<>();

    /** One served model. */
    public static final class ModelConfig {
        public String name;
        public String model;
        public String format;
        public String head;
        public Integer attentionOutput;
        public int[] exampleShape;
        public List<String> chain;
        public int budgetMs = 1000;
        public int workers = Runtime.getRuntime().availableProcessors();
        public int queue = 64;
        public Map<Integer, String> features;

        /** The entry for one model file or {@code zoo:name}, named after it. */
        public static ModelConfig of(String model) {
            ModelConfig m = new ModelConfig();
            m.model = model;
            m.name = model.startsWith("zoo:") ? model.substring(4)
                    : Path.of(model).getFileName().toString().replaceAll("\\.[A-Za-z]+$", "");
            return m;
        }

        /** The model as a spec. */
        public ModelSpec spec() {
            return ModelSpec.of(model).withFormat(format).withHead(head == null ? null : Path.of(head))
                    .withAttentionOutput(attentionOutput)
                    .withExampleShape(exampleShape == null ? null : Shape.of(exampleShape));
        }
    }

    /** Reads a config file ({@code .json}, or YAML otherwise); unknown fields are refused by name. */
    public static ServeConfig read(Path file) {
        ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        try {
            return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile(),
                    ServeConfig.class);
        } catch (IOException e) {
            throw new InvalidOptionException("cannot read serve config " + file + ": " + e.getMessage()
                    + "; see 'attrib4j serve --help' for its fields");
        }
    }

    /**
     * Opens the audit store, the cache and every model, and starts the HTTP server; closing the result stops the
     * server and closes the explainers, models, cache and audit store, in that order. On a failure everything
     * opened so far is closed.
     */
    public RunningServer start() {
        if (models.isEmpty()) {
            throw new InvalidOptionException("no model to serve; give --model zoo:patch or --config serve.yaml");
        }
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            String db = auditDb == null ? "attrib4j-audit" : auditDb;
            AuditTrail audit = openAudit(db);
            owned.add(audit);
            if (signingKey != null) {
                audit.startSigning(Checkpoint.readPrivateKey(Path.of(signingKey)),
                        CheckpointLog.open(checkpointLog != null ? Path.of(checkpointLog) : defaultCheckpointLog(db)));
            }
            ExplanationServer.Builder b = ExplanationServer.builder().setAuditTrail(audit)
                    .optHost(host == null ? "127.0.0.1" : host).optPort(port == null ? 8080 : port);
            if (apiKey != null) {
                b.optApiKey(apiKey);
            }
            ExplanationStore store = explanationStore(cache == null ? "memory" : cache, owned);
            for (ModelConfig m : models) {
                b.addModel(served(m, store, owned));
            }
            ExplanationServer server = b.build();
            owned.add(0, server);
            return new RunningServer(server, owned);
        } catch (RuntimeException e) {
            RunningServer.closeAll(owned);
            throw e;
        }
    }

    /** Where checkpoints go when no {@code checkpointLog} is given: next to the H2 file, or in the working folder. */
    public static Path defaultCheckpointLog(String db) {
        return Path.of(db.startsWith("jdbc:") ? "attrib4j-audit.checkpoints.jsonl" : db + ".checkpoints.jsonl");
    }

    /** An H2 file path, or a JDBC URL (PostgreSQL). */
    public static AuditTrail openAudit(String db) {
        return db.startsWith("jdbc:") ? AuditTrail.open(db, null, null) : AuditTrail.h2(Path.of(db));
    }

    /** The cache shared by every served model (keys carry the model hash); null: each its own in-process one. */
    public static ExplanationStore explanationStore(String spec, List<AutoCloseable> owned) {
        if (spec.equals("memory")) {
            return null;
        }
        if (spec.equals("none")) {
            return ExplanationStore.none();
        }
        if (spec.startsWith("redis://") || spec.startsWith("rediss://")) {
            RedisExplanationCache redis = RedisExplanationCache.builder().setUri(spec).build();
            owned.add(redis); // closed after the explainers that use it
            return redis;
        }
        throw new InvalidOptionException("unknown --cache '" + spec + "'; use memory, none or redis://host:port");
    }

    private static ServedModel served(ModelConfig m, ExplanationStore store, List<AutoCloseable> owned) {
        if (m.name == null || m.model == null) {
            throw new InvalidOptionException("every model in the config needs a name and a model (file or zoo:name)");
        }
        LoadedModel loaded = Models.load(m.spec());
        owned.add(loaded);
        Shape shape = loaded.model().info().exampleShape().orElseThrow(() -> new InvalidOptionException("model '"
                + m.name + "' does not declare its input shape; add exampleShape: [...] to its config entry"));
        Explainer.Builder explainer = Explainer.builder().setModel(loaded.model()).optWorkers(m.workers)
                .optQueueCapacity(m.queue).optDefaultBudget(Duration.ofMillis(m.budgetMs)).optCache(store);
        if (m.chain != null) {
            explainer.optChain(m.chain.stream().map(FallbackStep::of).toList());
        } else if (loaded.model().capability(io.attrib4j.engine.model.TreeEnsemble.class).isPresent()) {
            explainer.optChain(List.of(FallbackStep.of("treeshap"))); // exact and fast: the default for trees
        } else if (loaded.model().capability(GradientModel.class).isEmpty()) {
            throw new InvalidOptionException("model '" + m.name + "' runs forward only, so the default chain (ig, "
                    + "saliency) cannot explain it; give it gradient-free methods, e.g. chain: "
                    + "[\"kernelshap(samples=256)\", \"ablation\"]");
        }
        Explainer built = explainer.build();
        owned.add(0, built);
        ServedModel served = ServedModel.of(m.name, shape, built);
        return m.features == null ? served
                : served.withReasonCodes(ReasonCodes.builder().setDictionary(m.features).build());
    }
}
