package io.attrib4j.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.Target;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of attrib4j (Javalin on Jetty): predict and explain with the models configured at start-up,
 * every answered explanation appended to the {@link AuditTrail} before the answer is sent.
 *
 * <ul>
 *   <li>{@code POST /v1/explain}: body as in {@link ExplainJson}; 200 with the prediction, the explanation,
 *       its source (live, cache, degraded), reason codes when the model has a feature dictionary, and the
 *       audit record number; with {@code "async": true}, 202 with the prediction (source pending), the
 *       explanation audited when it completes (retried with back-off; {@code attrib4j_audit_pending} counts
 *       the lag) and shown by {@code GET /v1/explanations/{id}} only once audited;</li>
 *   <li>{@code GET /v1/explanations/{id}}: an asynchronous answer, pending or complete; 404 when unknown;</li>
 *   <li>{@code GET /v1/decisions/{id}}: every audit record of a request, from the trail (what was shown,
 *       when, by which model and method spec) — the right-to-explanation lookup; 404 when none;</li>
 *   <li>{@code GET /v1/decisions/{id}/proof}: the newest record of the request, its Merkle inclusion proof and
 *       the signed checkpoint covering it ({@link DecisionProof}, checkable without the database);</li>
 *   <li>{@code GET /v1/models}: names, example shapes, chains, content hashes;</li>
 *   <li>{@code GET /health}: 200 "ok", or 503 "audit store down" while it cannot be reached (never needs a
 *       key); {@code GET /metrics}: Prometheus text.</li>
 * </ul>
 * Errors answer JSON {@code {"status": s, "error": "what is wrong and how to fix it"}}: 400 malformed or
 * invalid request, 401 missing or wrong {@code X-API-Key} (when a key is configured), 404 unknown model or
 * id, 413 body over the size limit, 429 with {@code Retry-After} when the model's queue is full, 503 when
 * the audit store cannot record the answer (the request is then not acknowledged). Rejected requests write
 * nothing to the audit trail. Models are never loaded from a request. The caller owns the models, the
 * explainers and the audit trail; {@link #close()} stops the server only.
 */
public final class ExplanationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplanationServer.class);
    private static final String STARTED = "attrib4j.started";

    private final Map<String, ServedModel> models;
    private final AuditTrail audit;
    private final byte[] apiKey;
    private final int auditTopK;
    private final int retryAfterSeconds;
    private final Duration asyncAuditWait;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ExecutorService asyncAuditor;
    private static final int ASYNC_AUDIT_ATTEMPTS = 6;
    /** Asynchronous requests whose explanation is not audited yet, by id: their pending answer. */
    private final Map<String, ExplainResponse> unaudited = new java.util.concurrent.ConcurrentHashMap<>();
    private final Javalin app;

    private ExplanationServer(Builder b) {
        this.models = new LinkedHashMap<>(b.models);
        this.audit = b.audit;
        this.apiKey = b.apiKey == null ? null : b.apiKey.getBytes(StandardCharsets.UTF_8);
        this.auditTopK = b.auditTopK;
        this.retryAfterSeconds = b.retryAfterSeconds;
        this.asyncAuditWait = b.asyncAuditWait;
        this.asyncAuditor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "attrib4j-async-audit");
            t.setDaemon(true);
            return t;
        });
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = b.maxRequestBytes;
        });
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.before("/v1/*", this::authorize);
        app.before("/metrics", this::authorize);
        app.post("/v1/explain", this::explain);
        app.get("/v1/explanations/{id}", this::result);
        app.get("/v1/models", this::listModels);
        app.get("/v1/decisions/{id}", this::decision);
        app.get("/v1/decisions/{id}/proof", this::proof);
        app.get("/health", this::health);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.render(models.values()) + auditLag()));
        app.exception(HttpResponseException.class, this::fail); // else Javalin answers these in plain text
        app.exception(Exception.class, this::fail);
        app.after("/v1/*", ctx -> {
            Long started = ctx.attribute(STARTED);
            metrics.answered(ctx.statusCode(), started == null ? 0 : (System.nanoTime() - started) / 1e9);
        });
        app.start(b.host, b.port);
        LOG.info("attrib4j serving {} on http://{}:{}", models.keySet(), b.host, port());
    }

    /** A builder; {@link Builder#setAuditTrail} and at least one {@link Builder#addModel} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the one chosen when built with port 0). */
    public int port() {
        return app.port();
    }

    /** Stops accepting requests and stops the server; models, explainers and the audit trail stay open. */
    @Override
    public void close() {
        app.stop();
        asyncAuditor.shutdownNow();
    }

    private void authorize(Context ctx) {
        if (apiKey == null) {
            return;
        }
        String given = ctx.header("X-API-Key");
        if (given == null || !MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedResponse(given == null ? "this server needs an API key; send it in the X-API-Key "
                    + "header" : "the X-API-Key header does not match; send the key the server was started with");
        }
    }

    private void explain(Context ctx) {
        ExplainJson.Parsed p = ExplainJson.parse(ctx.bodyAsBytes());
        ServedModel m = model(p.model());
        Explainer explainer = m.chain(p.chain()).orElseThrow(() -> ExplainJson.bad("model '" + m.name()
                + "' has no chain '" + p.chain().orElse("") + "'; its chains are " + m.chains().keySet()));
        ExplainJson.checkShape(p.request().input(), m.exampleShape(), m.name());
        ExplainRequest request = p.request();
        if (p.async()) {
            ExplainResponse pending = explainer.explainAsync(request);
            unaudited.put(pending.requestId(), pending); // GET shows it pending until the explanation is audited
            long seq;
            try {
                seq = record(m, request, pending);
            } catch (AuditException e) {
                unaudited.remove(pending.requestId());
                throw e;
            }
            asyncAuditor.execute(() -> explainer.awaitResult(pending.requestId(), asyncAuditWait)
                    .filter(r -> r.source() != Source.PENDING).ifPresent(r -> recordWithRetries(m, request, r)));
            ctx.status(202).contentType("application/json").result(ExplainJson.answer(m.name(), pending, List.of(), seq)
                    .toString());
            return;
        }
        ExplainResponse r = explainer.explain(request);
        long seq = record(m, request, r); // before the answer: an acknowledged explanation is always audited
        ctx.status(200).contentType("application/json").result(ExplainJson.answer(m.name(), r, reasons(m, r, request),
                seq).toString());
    }

    /** An asynchronous explanation's record, retried with back-off; until it is written, GET shows it pending. */
    private void recordWithRetries(ServedModel m, ExplainRequest request, ExplainResponse r) {
        for (int attempt = 0; attempt < ASYNC_AUDIT_ATTEMPTS; attempt++) {
            try {
                record(m, request, r);
                unaudited.remove(r.requestId());
                return;
            } catch (AuditException e) {
                LOG.warn("audit of asynchronous explanation {} failed (attempt {} of {}): {}", r.requestId(),
                        attempt + 1, ASYNC_AUDIT_ATTEMPTS, e.getMessage());
                try {
                    Thread.sleep(1000L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        LOG.error("asynchronous explanation {} could not be audited; it stays pending and is never shown",
                r.requestId());
    }

    private void result(Context ctx) {
        String id = ctx.pathParam("id");
        ExplainResponse notYetAudited = unaudited.get(id);
        for (ServedModel m : models.values()) {
            if (notYetAudited != null && m.chains().values().stream().anyMatch(e -> e.result(id).isPresent())) {
                ctx.contentType("application/json").result(ExplainJson.answer(m.name(), notYetAudited, List.of(), null)
                        .toString());
                return;
            }
        }
        for (ServedModel m : models.values()) {
            for (Explainer e : m.chains().values()) {
                Optional<ExplainResponse> r = e.result(id);
                if (r.isPresent()) {
                    ctx.contentType("application/json").result(ExplainJson.answer(m.name(), r.get(), List.of(), null)
                            .toString());
                    return;
                }
            }
        }
        throw new NotFoundResponse("no asynchronous explanation with id '" + id + "'; ids come from a POST "
                + "/v1/explain with \"async\": true and are kept for the explainer's result retention");
    }

    private String auditLag() {
        return "# HELP attrib4j_audit_pending records waiting to be committed: queued appends plus asynchronous "
                + "explanations not audited yet\n# TYPE attrib4j_audit_pending gauge\nattrib4j_audit_pending "
                + (audit.pending() + unaudited.size()) + "\n";
    }

    private void health(Context ctx) {
        if (audit.healthy()) {
            ctx.result("ok");
        } else {
            ctx.status(503).result("audit store down: explanations are refused until it returns");
        }
    }

    private List<AuditTrail.Record> decisionRecords(String id) {
        List<AuditTrail.Record> records = audit.records(id);
        if (records.isEmpty()) {
            throw new NotFoundResponse("no audited decision with request id '" + id + "'; ids are the requestId of "
                    + "a POST /v1/explain answer");
        }
        return records;
    }

    private void decision(Context ctx) {
        String id = ctx.pathParam("id");
        ObjectNode o = ExplainJson.JSON.createObjectNode();
        o.put("requestId", id);
        ArrayNode list = o.putArray("records");
        for (AuditTrail.Record r : decisionRecords(id)) {
            ObjectNode rec = list.addObject();
            rec.put("seq", r.seq());
            try {
                rec.setAll((ObjectNode) ExplainJson.JSON.readTree(r.entry().canonicalJson()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("canonical JSON is JSON", e);
            }
        }
        ctx.contentType("application/json").result(o.toString());
    }

    private void proof(Context ctx) {
        List<AuditTrail.Record> records = decisionRecords(ctx.pathParam("id"));
        ctx.contentType("application/json").result(audit.proof(records.get(records.size() - 1)).toJson().toString());
    }

    private void listModels(Context ctx) {
        ArrayNode list = ExplainJson.JSON.createArrayNode();
        for (ServedModel m : models.values()) {
            ObjectNode o = list.addObject();
            o.put("name", m.name());
            ArrayNode shape = o.putArray("exampleShape");
            for (int d : m.exampleShape().dims()) {
                shape.add(d);
            }
            ArrayNode chains = o.putArray("chains");
            m.chains().keySet().forEach(chains::add);
            o.put("modelHash", m.chains().values().iterator().next().modelHash());
            o.put("reasonCodes", m.reasonCodes().isPresent());
        }
        ctx.contentType("application/json").result(list.toString());
    }

    private ServedModel model(String name) {
        ServedModel m = models.get(name);
        if (m == null) {
            throw new NotFoundResponse("unknown model '" + name + "'; this server serves " + models.keySet()
                    + " (GET /v1/models); models are configured at start-up only");
        }
        return m;
    }

    /** Appends the answer to the audit trail and feeds the drift watch; returns the record's number. */
    private long record(ServedModel m, ExplainRequest request, ExplainResponse r) {
        Target target = request.target().orElseGet(() -> Target.perExample(r.predictedClasses()));
        long seq = audit.append(AuditEntry.of(r, Hashing.inputHash(request.input(), target), auditTopK));
        metrics.audited();
        metrics.explained(m.name(), r.source());
        r.attribution().ifPresent(a -> m.drift().ifPresent(w -> w.observe(m.name(), a.values().row(0).data())));
        return seq;
    }

    private static List<ReasonCode> reasons(ServedModel m, ExplainResponse r, ExplainRequest request) {
        if (m.reasonCodes().isEmpty() || r.attribution().isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(m.reasonCodes().get().reasons(request.input(), r.attribution().get(), 0));
    }

    private void fail(Exception e, Context ctx) {
        int status;
        if (e instanceof HttpResponseException h) {
            status = h.getStatus();
        } else if (e instanceof InvalidInputException || e instanceof InvalidTargetException
                || e instanceof InvalidOptionException) {
            status = 400;
        } else if (e instanceof OverloadedException) {
            status = 429;
            ctx.header("Retry-After", Integer.toString(retryAfterSeconds));
        } else if (e instanceof AuditException) {
            status = 503;
            LOG.error("audit store failed; the request was not acknowledged", e);
        } else {
            status = 500;
            if (!(e instanceof AttributionException)) {
                LOG.error("unexpected failure serving {}", ctx.path(), e);
            }
        }
        ObjectNode o = ExplainJson.JSON.createObjectNode();
        o.put("status", status);
        o.put("error", e.getMessage());
        ctx.status(status).contentType("application/json").result(o.toString());
    }

    /** Options of {@link ExplanationServer}; {@link #build()} validates them and starts the server. */
    public static final class Builder {
        private final Map<String, ServedModel> models = new LinkedHashMap<>();
        private AuditTrail audit;
        private String host = "127.0.0.1";
        private int port = 8080;
        private String apiKey;
        private long maxRequestBytes = 8L << 20;
        private int auditTopK = 10;
        private int retryAfterSeconds = 1;
        private Duration asyncAuditWait = Duration.ofMinutes(10);

        private Builder() {}

        /** A model to serve (at least one); names must be unique. */
        public Builder addModel(ServedModel model) {
            if (models.putIfAbsent(model.name(), model) != null) {
                throw new InvalidOptionException("two models are named '" + model.name() + "'; give each a unique name");
            }
            return this;
        }

        /** Where every answered explanation is recorded (required). */
        public Builder setAuditTrail(AuditTrail audit) {
            this.audit = audit;
            return this;
        }

        /** The interface to listen on; default 127.0.0.1 (loopback only). */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** The port; default 8080, 0 for any free port. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Require this key in the {@code X-API-Key} header of /v1 and /metrics requests; default none. */
        public Builder optApiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Largest request body; default 8 MiB (a 224x224 RGB image as JSON numbers is about 2 MiB). */
        public Builder optMaxRequestBytes(long maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /** Attributions kept in each audit record (largest magnitude first); default 10. */
        public Builder optAuditTopK(int auditTopK) {
            this.auditTopK = auditTopK;
            return this;
        }

        /** The Retry-After of 429 answers, in seconds; default 1. */
        public Builder optRetryAfterSeconds(int retryAfterSeconds) {
            this.retryAfterSeconds = retryAfterSeconds;
            return this;
        }

        public ExplanationServer build() {
            if (models.isEmpty() || audit == null) {
                throw new InvalidOptionException("a server needs at least one model (addModel) and an audit trail "
                        + "(setAuditTrail, e.g. AuditTrail.h2(path))");
            }
            if (port < 0 || port > 65535 || maxRequestBytes < 1 || auditTopK < 1 || retryAfterSeconds < 1
                    || host == null || (apiKey != null && apiKey.isBlank())) {
                throw new InvalidOptionException("port " + port + ", max request bytes " + maxRequestBytes
                        + ", audit top-k " + auditTopK + ", retry-after " + retryAfterSeconds + "s, api key "
                        + (apiKey == null ? "none" : "blank?") + ": use a port in 0..65535, positive sizes and a "
                        + "non-blank key");
            }
            return new ExplanationServer(this);
        }
    }
}
