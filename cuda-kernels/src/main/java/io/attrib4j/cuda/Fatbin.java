package io.attrib4j.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@code nvcc -fatbin} file holds, read from its container headers (little-endian): a 16-byte file
 * header (magic {@code 0xBA55ED50}, version, header size, payload size), then one entry per image, each
 * with a header giving its kind at offset 0 (1 = PTX, 2 = ELF/SASS), its header size at 4, its payload size
 * at 8 and its architecture ({@code 10 * major + minor}) at 28, followed by the payload. Used to say which
 * image the driver runs; {@code cuobjdump --list-elf --list-ptx} prints the same list.
 */
final class Fatbin {
    static final int MAGIC = 0xBA55ED50;
    private static final int KIND_PTX = 1;
    private static final int KIND_ELF = 2;

    private Fatbin() {}

    /**
     * The images of {@code fatbin} in file order, {@code "sm_90"} for SASS and {@code "compute_75"} for
     * PTX; empty when the bytes are not a fatbin container this reader understands.
     */
    static List<String> targets(byte[] fatbin) {
        ByteBuffer in = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        List<String> targets = new ArrayList<>();
        if (fatbin.length < 16 || in.getInt(0) != MAGIC) {
            return targets;
        }
        long end = Math.min(fatbin.length, in.getShort(6) + in.getLong(8));
        long entry = in.getShort(6);
        while (entry + 32 <= end) {
            int at = (int) entry;
            int kind = in.getShort(at);
            int arch = in.getInt(at + 28);
            if (kind == KIND_PTX || kind == KIND_ELF) {
                targets.add((kind == KIND_PTX ? "compute_" : "sm_") + arch);
            }
            long next = entry + Integer.toUnsignedLong(in.getInt(at + 4)) + in.getLong(at + 8);
            if (next <= entry) {
                break;
            }
            entry = next;
        }
        return targets;
    }

    /**
     * Which image of {@code targets} the driver runs on a GPU of compute capability {@code capability}: SASS
     * of the same major version and the largest minor not above the device's, else the newest PTX not above
     * it (JIT-compiled); e.g. {@code "sm_90"}, {@code "sm_86 SASS on sm_87"}, {@code "compute_75 PTX
     * JIT-compiled by the driver for sm_100"}, or just {@code "sm_XY"} when {@code targets} names neither.
     */
    static String describe(List<String> targets, int capability) {
        int sass = -1;
        int ptx = -1;
        for (String t : targets) {
            int arch = Integer.parseInt(t.substring(t.indexOf('_') + 1));
            if (arch > capability) {
                continue;
            }
            if (t.startsWith("sm_") && arch / 10 == capability / 10) {
                sass = Math.max(sass, arch);
            } else if (t.startsWith("compute_")) {
                ptx = Math.max(ptx, arch);
            }
        }
        String device = "sm_" + capability;
        if (sass == capability || sass < 0 && ptx < 0) {
            return device;
        }
        return sass >= 0 ? "sm_" + sass + " SASS on " + device
                : "compute_" + ptx + " PTX JIT-compiled by the driver for " + device;
    }
}
