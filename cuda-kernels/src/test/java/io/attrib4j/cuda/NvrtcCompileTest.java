package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attrib4j.engine.BackendException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NVRTC, the run-time fallback, compiles every packaged kernel source (no GPU needed). Runs where JCuda's
 * NVRTC binding loads, i.e. where {@code libnvrtc.so.12} is on the library path; elsewhere those tests skip
 * with the reason, and the loader's report of the missing library is checked instead.
 */
class NvrtcCompileTest {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");
    private static final String BROKEN = "broken_for_test";
    private static String version;
    private static String unavailable;

    @BeforeAll
    static void loadNvrtc() {
        unavailable = Nvrtc.unavailableReason();
        if (unavailable == null) {
            version = Nvrtc.version();
            System.out.println("NVRTC " + version + " compiles for " + Arrays.toString(Nvrtc.supportedArchitectures()));
        }
    }

    private static void requireNvrtc() {
        String why = "NVRTC did not load: " + unavailable;
        if (unavailable != null) {
            System.out.println("SKIPPED: " + why);
        }
        assumeTrue(unavailable == null, why);
    }

    @Test
    void everyPackagedSourceCompilesToPtxWithItsEntries() {
        requireNvrtc();
        for (Map.Entry<String, Set<String>> family : entriesByFamily().entrySet()) {
            String ptx = ptx(family.getKey(), "compute_75");
            assertTrue(ptx.contains(".target sm_75"), family.getKey());
            assertEquals(family.getValue(), entries(ptx), family.getKey() + ".cu compiled by NVRTC " + version);
            byte[] nvccPtx = ModuleLoader.read(Kernel.PTX_DIRECTORY + family.getKey() + ".ptx");
            if (nvccPtx != null) {
                assertEquals(entries(new String(nvccPtx, StandardCharsets.US_ASCII)), entries(ptx),
                        "NVRTC and nvcc give " + family.getKey() + " the same entries");
            }
        }
    }

    @Test
    void theDevicesOwnArchitectureCompilesToACubinHoldingTheEntries() {
        requireNvrtc();
        String target = Nvrtc.target(90, Nvrtc.supportedArchitectures());
        assertEquals("sm_90", target, "NVRTC 12 knows Hopper");
        for (Map.Entry<String, Set<String>> family : entriesByFamily().entrySet()) {
            byte[] cubin = Nvrtc.compile(source(family.getKey()), family.getKey() + ".cu", target);
            assertEquals("\u007fELF", new String(cubin, 0, 4, StandardCharsets.ISO_8859_1), family.getKey());
            String symbols = new String(cubin, StandardCharsets.ISO_8859_1);
            for (String entry : family.getValue()) {
                assertTrue(symbols.contains(entry + "\0"), family.getKey() + ".cu's CUBIN lacks " + entry);
            }
        }
    }

    @Test
    void aCompileErrorIsReportedWithNvrtcsLogBesideTheMissingFatbin() {
        requireNvrtc();
        BackendException e = assertThrows(BackendException.class, () -> new ModuleLoader(75).load(BROKEN));
        assertLoaderMessage(e.getMessage());
        assertTrue(e.getMessage().contains("NVRTC_ERROR_COMPILATION"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared_identifier"), "the program log: " + e.getMessage());
    }

    @Test
    void aMissingNvrtcIsReportedBesideTheMissingFatbin() {
        String why = "NVRTC " + version + " loads here, so its absence cannot be tested";
        if (unavailable == null) {
            System.out.println("SKIPPED: " + why);
        }
        assumeTrue(unavailable != null, why);
        for (int attempt = 0; attempt < 2; attempt++) { // the reason is remembered, not only reported once
            BackendException e = assertThrows(BackendException.class, () -> new ModuleLoader(75).load(BROKEN));
            assertLoaderMessage(e.getMessage());
            assertTrue(e.getMessage().contains("NVRTC is not available to compile them at run time (libnvrtc.so.12 "
                    + "not found)"), e.getMessage());
        }
    }

    @Test
    void aFamilyWithNeitherFatbinNorSourceIsReported() {
        BackendException e = assertThrows(BackendException.class, () -> new ModuleLoader(75).load("none"));
        assertTrue(e.getMessage().contains("no prebuilt io/attrib4j/cuda/ptx/none.fatbin")
                && e.getMessage().contains("no io/attrib4j/cuda/src/none.cu"), e.getMessage());
    }

    private static void assertLoaderMessage(String message) {
        assertTrue(message.startsWith("the CUDA kernels cannot be loaded: the jar has no prebuilt "
                + "io/attrib4j/cuda/ptx/" + BROKEN + ".fatbin (it was built without nvcc), and "), message);
        assertTrue(message.endsWith(ModuleLoader.FIX_BUILD), message);
    }

    /** The {@code extern "C"} entries each packaged family must export, from the kernel table. */
    private static Map<String, Set<String>> entriesByFamily() {
        Map<String, Set<String>> entries = new TreeMap<>();
        for (Kernel k : Kernel.values()) {
            entries.computeIfAbsent(k.family, f -> new TreeSet<>()).add(k.entry);
        }
        return entries;
    }

    private static String source(String family) {
        byte[] source = ModuleLoader.read(ModuleLoader.sourceResource(family));
        assertNotNull(source, ModuleLoader.sourceResource(family));
        return new String(source, StandardCharsets.UTF_8);
    }

    private static String ptx(String family, String target) {
        byte[] ptx = Nvrtc.compile(source(family), family + ".cu", target);
        assertEquals(0, ptx[ptx.length - 1], "PTX for cuModuleLoadData ends with NUL");
        return new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
    }

    private static Set<String> entries(String ptx) {
        Set<String> entries = new TreeSet<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            entries.add(m.group(1));
        }
        return entries;
    }
}
