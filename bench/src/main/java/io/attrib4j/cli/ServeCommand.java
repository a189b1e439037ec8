package io.attrib4j.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.Models;
import io.attrib4j.serving.AuditTrail;
import io.attrib4j.serving.Explainer;
import io.attrib4j.serving.ExplanationServer;
import io.attrib4j.serving.ExplanationStore;
import io.attrib4j.serving.FallbackStep;
import io.attrib4j.serving.ReasonCodes;
import io.attrib4j.serving.RedisExplanationCache;
import io.attrib4j.serving.ServedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attrib4j serve}: the HTTP API over models named at start-up, from {@code --model} or a YAML/JSON
 * config:
 *
 * <pre>
 * port: 8080
 * apiKey: change-me            # optional
 * auditDb: attrib4j-audit      # H2 file or JDBC URL
 * cache: redis://127.0.0.1:6379   # memory (default), none, or a Redis shared by replicas
 * models:
 *   - name: credit
 *     model: credit.onnx       # zoo:patch, .pt, .onnx, SavedModel directory
 *     format: onnx-runtime     # optional: force a model format (here: forward only)
 *     exampleShape: [12]       # when the model does not declare it
 *     chain: ["kernelshap(samples=256)", "ablation"]   # method specs, tried in order within the budget;
 *                              # default for models with gradients: ["ig(steps=32)", "ig(steps=8)", "saliency"]
 *     budgetMs: 500
 *     workers: 2
 *     queue: 64
 *     features: {0: "income too low", 3: "debt-to-income ratio too high"}   # reason codes
 * </pre>
 * Runs until interrupted (Ctrl-C), then closes the server, explainers, models and audit store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serves predictions with explanations over "
        + "HTTP, every answer audited.")
final class ServeCommand implements Callable<Integer>, Main.Verbose {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "serve.yaml (or .json); the options below override it")
    Path config;

    @Option(names = "--model", description = "one model to serve (zoo:patch, .pt, .onnx, SavedModel directory)")
    String model;

    @Option(names = "--port", description = "port (default 8080; 0 for any free port)")
    Integer port;

    @Option(names = "--host", description = "interface to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--audit-db", description = "H2 file path or JDBC URL (default ./attrib4j-audit)")
    String auditDb;

    @Option(names = "--cache", description = "explanation cache: memory (default, in-process), none, or "
            + "redis://host:port[/db] shared by several replicas (Redis errors degrade to no cache)")
    String cache;

    @Option(names = "--api-key", description = "require this X-API-Key header")
    String apiKey;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    /** The config file's shape. */
    static final class Config {
        public Integer port;
        public String host;
        public String apiKey;
        public String auditDb;
        public String cache;
        public List<ModelConfig> models = new ArrayList<>();
    }

    /** One model of the config file. */
    static final class ModelConfig {
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
    }

    @Override
    public Integer call() throws InterruptedException {
        Config c = readConfig();
        if (model != null) {
            ModelConfig m = new ModelConfig();
            m.model = model;
            m.name = model.startsWith("zoo:") ? model.substring(4)
                    : Path.of(model).getFileName().toString().replaceAll("\\.[A-Za-z]+$", "");
            c.models = List.of(m);
        }
        if (c.models.isEmpty()) {
            throw new InvalidOptionException("no model to serve; give --model zoo:patch or --config serve.yaml");
        }
        List<AutoCloseable> owned = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            AuditTrail audit = AuditCommand.open(first(auditDb, c.auditDb, "attrib4j-audit"));
            owned.add(audit);
            ExplanationServer.Builder b = ExplanationServer.builder().setAuditTrail(audit)
                    .optHost(first(host, c.host, "127.0.0.1")).optPort(first(port, c.port, 8080));
            String key = first(apiKey, c.apiKey, null);
            if (key != null) {
                b.optApiKey(key);
            }
            ExplanationStore store = explanationStore(first(cache, c.cache, "memory"), owned);
            for (ModelConfig m : c.models) {
                b.addModel(served(m, store, owned));
            }
            ExplanationServer server = b.build();
            owned.add(0, server);
            spec.commandLine().getOut().println("serving on http://" + first(host, c.host, "127.0.0.1") + ":"
                    + server.port() + " (Ctrl-C to stop)");
            spec.commandLine().getOut().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeAll(owned);
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    /** The cache shared by every served model (keys carry the model hash); null: each its own in-process one. */
    static ExplanationStore explanationStore(String spec, List<AutoCloseable> owned) {
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

    private ServedModel served(ModelConfig m, ExplanationStore store, List<AutoCloseable> owned) {
        if (m.name == null || m.model == null) {
            throw new InvalidOptionException("every model in the config needs a name and a model (file or zoo:name)");
        }
        ModelSpec modelSpec = ModelSpec.of(m.model).withFormat(m.format).withHead(m.head == null ? null : Path.of(m.head))
                .withAttentionOutput(m.attentionOutput)
                .withExampleShape(m.exampleShape == null ? null : Shape.of(m.exampleShape));
        LoadedModel loaded = Models.load(modelSpec);
        owned.add(loaded);
        Shape shape = loaded.model().info().exampleShape().orElseThrow(() -> new InvalidOptionException("model '"
                + m.name + "' does not declare its input shape; add exampleShape: [...] to its config entry"));
        Explainer.Builder explainer = Explainer.builder().setModel(loaded.model()).optWorkers(m.workers)
                .optQueueCapacity(m.queue).optDefaultBudget(Duration.ofMillis(m.budgetMs)).optCache(store);
        if (m.chain != null) {
            explainer.optChain(m.chain.stream().map(FallbackStep::of).toList());
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

    private Config readConfig() {
        if (config == null) {
            return new Config();
        }
        ObjectMapper mapper = config.toString().endsWith(".json") ? new ObjectMapper()
                : new ObjectMapper(new YAMLFactory());
        try {
            return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(config.toFile(),
                    Config.class);
        } catch (IOException e) {
            throw new InvalidOptionException("cannot read serve config " + config + ": " + e.getMessage()
                    + "; see 'attrib4j serve --help' for its fields");
        }
    }

    private static <T> T first(T option, T config, T fallback) {
        return option != null ? option : config != null ? config : fallback;
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) { // closing everything else matters more
                System.err.println("attrib4j: while stopping: " + e);
            }
        }
        owned.clear();
    }
}
