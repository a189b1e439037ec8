package io.attrib4j.engine.backend;

import io.attrib4j.engine.BackendException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader} and picks one: the highest-ranked available backend for
 * {@code auto}, or the one named by the caller or by the system property {@value #PROPERTY}
 * ({@code cpu}, {@code cuda}, {@code auto}). Backends are created once and shared.
 */
public final class Backends {
    /** System property that overrides automatic selection. */
    public static final String PROPERTY = "attrib4j.backend";

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final ConcurrentMap<String, Backend> CREATED = new ConcurrentHashMap<>();

    private Backends() {}

    /** The backend chosen by {@value #PROPERTY}, or automatically when it is unset. */
    public static Backend get() {
        return get(System.getProperty(PROPERTY, "auto"));
    }

    /**
     * The backend with id {@code choice}, or the best available one for {@code "auto"}.
     *
     * @throws BackendException when the named backend does not exist or cannot run here
     */
    public static Backend get(String choice) {
        String id = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (id.equals("auto")) {
            for (BackendProvider p : providers) {
                if (p.unavailableReason() == null) {
                    return create(p, true);
                }
                LOG.debug("backend {} skipped: {}", p.id(), p.unavailableReason());
            }
            throw new BackendException("no attribution backend can run here; put attrib4j-engine (the ND4J CPU backend) "
                    + "on the class path");
        }
        for (BackendProvider p : providers) {
            if (p.id().equals(id)) {
                String why = p.unavailableReason();
                if (why != null) {
                    throw new BackendException("backend '" + id + "' cannot run here: " + why
                            + "; use --backend cpu or --backend auto");
                }
                return create(p, false);
            }
        }
        List<String> ids = new ArrayList<>();
        providers.forEach(p -> ids.add(p.id()));
        throw new BackendException("unknown backend '" + choice + "'; available: " + ids + " or auto");
    }

    /** All providers on the class path, best first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return list;
    }

    private static Backend create(BackendProvider p, boolean automatic) {
        return CREATED.computeIfAbsent(p.id(), k -> {
            Backend b = p.create();
            LOG.info("attribution backend: {}{}", b.name(), automatic ? " (chosen automatically)" : "");
            return b;
        });
    }
}
