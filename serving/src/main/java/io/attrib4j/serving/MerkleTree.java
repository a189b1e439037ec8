package io.attrib4j.serving;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only Merkle tree of audit records in the style of RFC 6962 (Certificate Transparency) §2.1:
 * {@code leaf = SHA-256(0x00 || record bytes)}, {@code node = SHA-256(0x01 || left || right)}, the tree of
 * {@code n} leaves split at the largest power of two below {@code n}. Hashes of aligned complete subtrees are
 * kept per level, so the root of any prefix and an inclusion proof take O(log² n) hashes. Not thread-safe.
 *
 * <p>Reference: B. Laurie, A. Langley, E. Kasper, "Certificate Transparency", RFC 6962 (2013), §2.1.1
 * (audit paths); the verification algorithm is RFC 9162 §2.1.3.2.
 */
public final class MerkleTree {
    static final int HASH = 32;
    /** levels.get(k) holds the hashes of the aligned complete subtrees of 2^k leaves, concatenated. */
    private final List<Level> levels = new ArrayList<>();
    private long size;

    private static final class Level {
        byte[] data = new byte[HASH * 1024];
        long count;

        void add(byte[] h) {
            long need = (count + 1) * HASH;
            if (need > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, data.length * 2L)));
            }
            System.arraycopy(h, 0, data, (int) (count * HASH), HASH);
            count++;
        }

        byte[] get(long i) {
            return Arrays.copyOfRange(data, (int) (i * HASH), (int) ((i + 1) * HASH));
        }
    }

    /** Number of leaves. */
    public long size() {
        return size;
    }

    /** Appends a leaf hash (see {@link #leafHash}). */
    public void append(byte[] leaf) {
        if (levels.isEmpty()) {
            levels.add(new Level());
        }
        levels.get(0).add(leaf);
        size++;
        int k = 0;
        byte[] h = leaf;
        while (levels.get(k).count % 2 == 0) {
            h = nodeHash(levels.get(k).get(levels.get(k).count - 2), h);
            if (levels.size() == k + 1) {
                levels.add(new Level());
            }
            levels.get(k + 1).add(h);
            k++;
        }
    }

    /** The root of the first {@code n} leaves (MTH of RFC 6962; SHA-256 of nothing for the empty tree). */
    public byte[] root(long n) {
        check(0, n);
        return n == 0 ? sha256().digest() : mth(0, n);
    }

    /** The audit path of leaf {@code m} (0-based) in the tree of the first {@code n} leaves, leaf side first. */
    public List<byte[]> inclusionProof(long m, long n) {
        check(m, n);
        if (m >= n) {
            throw new IllegalArgumentException("leaf " + m + " is not in a tree of " + n + " leaves");
        }
        List<byte[]> path = new ArrayList<>();
        path(m, 0, n, path);
        return path;
    }

    private void path(long m, long start, long end, List<byte[]> out) {
        if (end - start == 1) {
            return;
        }
        long k = Long.highestOneBit(end - start - 1);
        if (m < start + k) {
            path(m, start, start + k, out);
            out.add(mth(start + k, end));
        } else {
            path(m, start + k, end, out);
            out.add(mth(start, start + k));
        }
    }

    private byte[] mth(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return levels.get(Long.numberOfTrailingZeros(n)).get(start / n);
        }
        long k = Long.highestOneBit(n - 1);
        return nodeHash(mth(start, start + k), mth(start + k, end));
    }

    private void check(long m, long n) {
        if (n < 0 || n > size || m < 0) {
            throw new IllegalArgumentException("a tree of " + n + " leaves is asked of one holding " + size);
        }
    }

    /** {@code SHA-256(0x00 || record)}. */
    public static byte[] leafHash(byte[] record) {
        MessageDigest md = sha256();
        md.update((byte) 0);
        return md.digest(record);
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = sha256();
        md.update((byte) 1);
        md.update(left);
        return md.digest(right);
    }

    /**
     * Whether {@code path} proves that {@code leaf} is leaf {@code index} of the tree of {@code treeSize} leaves
     * with this {@code root} (RFC 9162 §2.1.3.2); needs nothing but the proof.
     */
    public static boolean verifyInclusion(byte[] leaf, long index, long treeSize, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
