package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.serving.ExplanationStore;
import io.attrib4j.serving.RedisExplanationCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code attrib4j serve --cache}: memory, none, or a Redis URL (the client connects lazily: no server needed). */
class ServeCacheOptionTest {
    @Test
    void memoryIsTheExplainersOwnDefaultAndNoneCachesNothing() {
        List<AutoCloseable> owned = new ArrayList<>();
        assertNull(ServeCommand.explanationStore("memory", owned));
        ExplanationStore none = ServeCommand.explanationStore("none", owned);
        assertTrue(none.get(new ExplanationStore.Key("h", "m", "i")).isEmpty());
        assertTrue(owned.isEmpty());
    }

    @Test
    void aRedisUrlGivesARedisCacheThatTheServerCloses() throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        ExplanationStore redis = ServeCommand.explanationStore("redis://127.0.0.1:6379", owned);
        assertInstanceOf(RedisExplanationCache.class, redis);
        assertEquals(1, owned.size());
        assertSame(redis, owned.get(0));
        owned.get(0).close();
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> ServeCommand.explanationStore("caffeine", new ArrayList<>()));
        assertTrue(e.getMessage().contains("memory, none or redis://host:port"), e.getMessage());
    }
}
