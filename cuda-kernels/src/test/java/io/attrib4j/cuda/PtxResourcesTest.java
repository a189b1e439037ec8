package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The build put PTX with the expected kernels into the classes; skipped where nvcc is not on the PATH. */
class PtxResourcesTest {
    /** Written out here, not taken from {@link Kernel}, so a renamed kernel fails this test. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "io/attrib4j/cuda/ptx/ig.ptx", List.of("interpolate", "weighted_step_sum"),
            "io/attrib4j/cuda/ptx/elementwise.ptx",
            List.of("elementwise_add", "elementwise_subtract", "elementwise_multiply", "elementwise_abs"),
            "io/attrib4j/cuda/ptx/noise.ptx", List.of("gaussian", "accumulate_samples"),
            "io/attrib4j/cuda/ptx/cam.ptx", List.of("spatial_mean", "weighted_channel_sum", "resize"),
            "io/attrib4j/cuda/ptx/rollout.ptx", List.of("fuse_heads", "positive_gradient_mean", "mix_residual",
                    "normalize_rows", "chain_start", "chain_step", "chain_finish"));
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");

    /** Per test rather than in {@code @BeforeAll}, so each skipped test is reported with the reason. */
    @BeforeEach
    void requireNvcc() {
        String nvcc = System.getProperty("nvcc.executable", "nvcc");
        boolean found = new File(nvcc).isFile();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= !dir.isEmpty() && new File(dir, nvcc).isFile();
        }
        String why = "nvcc (" + nvcc + ") is not on the PATH, so the build made no PTX";
        if (!found) {
            System.out.println("SKIPPED: " + why);
        }
        assumeTrue(found, why);
    }

    @Test
    void everyFamilyIsPackagedWithItsEntries() throws IOException {
        for (Map.Entry<String, List<String>> family : EXPECTED.entrySet()) {
            String ptx = read(family.getKey());
            assertTrue(ptx.contains(".version "), family.getKey() + " is not PTX");
            Set<String> entries = new TreeSet<>();
            Matcher m = ENTRY.matcher(ptx);
            while (m.find()) {
                entries.add(m.group(1));
            }
            assertEquals(new TreeSet<>(family.getValue()), entries, family.getKey());
        }
    }

    @Test
    void ptxTargetsTheConfiguredVirtualArchitecture() throws IOException {
        String arch = System.getProperty("cuda.ptx.arch", "compute_75");
        String target = ".target " + arch.replace("compute_", "sm_");
        for (String resource : EXPECTED.keySet()) {
            assertTrue(read(resource).contains(target), resource + " does not declare " + target);
        }
    }

    @Test
    void kernelTableMatchesThePackagedFiles() {
        for (Kernel k : Kernel.values()) {
            assertTrue(ModuleLoader.read(k.ptxResource()) != null, k.ptxResource() + " is packaged");
            assertTrue(EXPECTED.get(k.ptxResource()).contains(k.entry), k + " -> " + k.entry);
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = PtxResourcesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " missing from the built classes");
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
