package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the build packages for kernel loading: every {@code src/main/cuda/*.cu} as a source resource for
 * NVRTC (always), and beside each family's PTX a fatbin with SASS for {@code cuda.sass.archs} and PTX for
 * {@code cuda.ptx.arch} (where nvcc built the PTX; checked with {@code cuobjdump} too where it is on the PATH).
 */
class KernelResourcesTest {
    private static final Path SOURCES = Path.of("src/main/cuda");

    @Test
    void everyCudaSourceIsPackagedForNvrtc() throws IOException {
        List<Path> sources = cudaSources();
        assertFalse(sources.isEmpty(), "no .cu files under " + SOURCES.toAbsolutePath());
        for (Path source : sources) {
            byte[] packaged = ModuleLoader.read(ModuleLoader.sourceResource(family(source)));
            assertNotNull(packaged, source + " is not packaged as " + ModuleLoader.sourceResource(family(source)));
            assertArrayEquals(Files.readAllBytes(source), packaged, source.toString());
        }
    }

    @Test
    void everyKernelFamilyHasASourceFile() {
        for (Kernel k : Kernel.values()) {
            assertTrue(Files.isRegularFile(SOURCES.resolve(k.family + ".cu")), k + " -> " + k.family + ".cu");
        }
        assertTrue(CudaKernels.packaged());
    }

    @Test
    void fatbinHoldsTheConfiguredSassAndPtx() throws IOException {
        for (Path source : cudaSources()) {
            List<String> targets = Fatbin.targets(fatbinBesidePtx(source));
            assertEquals(expectedTargets(), new TreeSet<>(targets), family(source) + ".fatbin holds " + targets);
            assertEquals(targets.size(), new TreeSet<>(targets).size(), "an image is duplicated: " + targets);
        }
    }

    @Test
    void cuobjdumpListsTheSameImages() throws IOException, InterruptedException {
        String cuobjdump = onPath("cuobjdump");
        String why = "cuobjdump is not on the PATH, so the fatbin is checked by Fatbin.targets only";
        if (cuobjdump == null) {
            System.out.println("SKIPPED: " + why);
        }
        assumeTrue(cuobjdump != null, why);
        // "ELF file    1: ig.1.sm_90.cubin", "PTX file    1: ig.1.sm_75.ptx" (the PTX is named after sm_ too).
        Pattern image = Pattern.compile("^(ELF|PTX) file\\s+\\d+:.*?_(\\d+)[a-z]?\\.(?:cubin|ptx)\\s*$",
                Pattern.MULTILINE);
        for (Path source : cudaSources()) {
            fatbinBesidePtx(source);
            Path fatbin = Path.of("target/classes", ModuleLoader.fatbinResource(family(source)));
            Process p = new ProcessBuilder(cuobjdump, "--list-elf", "--list-ptx", fatbin.toString())
                    .redirectErrorStream(true).start();
            String listing = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, listing);
            Set<String> listed = new TreeSet<>();
            Matcher m = image.matcher(listing);
            while (m.find()) {
                listed.add((m.group(1).equals("ELF") ? "sm_" : "compute_") + m.group(2));
            }
            assertEquals(expectedTargets(), listed, listing);
        }
    }

    /** SASS for every {@code cuda.sass.archs} entry and PTX for {@code cuda.ptx.arch}, as the pom passes them. */
    private static Set<String> expectedTargets() {
        Set<String> expected = new TreeSet<>(List.of(System.getProperty("cuda.sass.archs",
                "sm_75,sm_80,sm_86,sm_89,sm_90").split(",")));
        expected.add(System.getProperty("cuda.ptx.arch", "compute_75"));
        return expected;
    }

    /** The fatbin of {@code source}'s family; skips when nvcc made no PTX either (it was not on the PATH). */
    private static byte[] fatbinBesidePtx(Path source) {
        String family = family(source);
        boolean ptxBuilt = ModuleLoader.read(Kernel.PTX_DIRECTORY + family + ".ptx") != null;
        String why = "the build made no " + family + ".ptx (nvcc was not on the PATH), so no fatbin either";
        if (!ptxBuilt) {
            System.out.println("SKIPPED: " + why);
        }
        assumeTrue(ptxBuilt, why);
        byte[] fatbin = ModuleLoader.read(ModuleLoader.fatbinResource(family));
        assertNotNull(fatbin, "nvcc built " + family + ".ptx but no " + ModuleLoader.fatbinResource(family));
        return fatbin;
    }

    private static List<Path> cudaSources() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return new ArrayList<>(files.filter(f -> f.toString().endsWith(".cu")).sorted().toList());
        }
    }

    private static String family(Path source) {
        String name = source.getFileName().toString();
        return name.substring(0, name.length() - ".cu".length());
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, tool).canExecute()) {
                return new File(dir, tool).getPath();
            }
        }
        return null;
    }
}
