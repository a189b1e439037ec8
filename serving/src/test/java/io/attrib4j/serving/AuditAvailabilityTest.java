package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.testkit.ToyModels;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The audit store goes down under a running server (PostgreSQL stopped): explanations get 503 and
 * {@code /health} says so, nothing is answered unaudited; when the store returns the pool reconnects by itself.
 */
class AuditAvailabilityTest {
    static final String BODY = "{\"model\": \"m\", \"input\": [[1, 2, -1, 0.5]]}";

    @Test
    void failsClosedWhileTheStoreIsDownAndRecoversByItself() throws Exception {
        ThrowawayPostgres.Result pg = ThrowawayPostgres.start();
        if (pg.server() == null || !pg.server().ownsServer()) {
            System.out.println("SKIPPED audit outage test: " + (pg.server() == null ? pg.whyNot() : "needs a "
                    + "throw-away server it may stop"));
            Assumptions.abort("no PostgreSQL this test may stop");
        }
        try (ThrowawayPostgres db = pg.server()) {
            try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS audit_log");
            }
            try (AuditTrail audit = AuditTrail.open(db.url(), null, null);
                    Explainer explainer = Explainer.builder().setModel(ToyModels.linear(ExplainerTest.W, ExplainerTest.C))
                            .optChain(List.of(FakeMethod.fast("grad").step())).build();
                    ExplanationServer server = ExplanationServer.builder().setAuditTrail(audit).optPort(0)
                            .addModel(ServedModel.of("m", Shape.of(4), explainer)).build()) {
                HttpClients http = new HttpClients(server.port(), null);
                assertEquals(200, http.post("/v1/explain", BODY).statusCode());
                assertEquals(200, http.get("/health").statusCode());
                db.stop();
                HttpResponse<String> refused = http.post("/v1/explain", BODY);
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals(503, http.get("/health").statusCode());
                db.startAgain();
                int status = 0;
                for (int i = 0; i < 120 && status != 200; i++) { // bounded retries, no timing asserted
                    status = http.post("/v1/explain", BODY).statusCode();
                    if (status != 200) {
                        Thread.sleep(500);
                    }
                }
                assertEquals(200, status, "the server did not recover after the store returned");
                assertEquals(200, http.get("/health").statusCode());
                assertTrue(audit.verify().ok());
                assertTrue(audit.count() >= 2);
            }
        }
    }
}
