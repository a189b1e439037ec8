package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    private static byte[] leaf(int i) {
        return MerkleTree.leafHash(("record " + i).getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 6962 §2.1 MTH, written straight from its definition over the leaf list (the brute-force reference). */
    private static byte[] mth(List<byte[]> d) {
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = Integer.highestOneBit(d.size() - 1);
        return MerkleTree.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    /** RFC 6962 §2.1.1 PATH(m, D[n]) from its definition. */
    private static List<byte[]> path(int m, List<byte[]> d) {
        List<byte[]> out = new ArrayList<>();
        if (d.size() <= 1) {
            return out;
        }
        int k = Integer.highestOneBit(d.size() - 1);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, d.size())));
        } else {
            out.addAll(path(m - k, d.subList(k, d.size())));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    @Test
    void theEmptyTreeIsTheHashOfNothing() {
        // RFC 6962 §2.1: MTH({}) = SHA-256() = e3b0c442...
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(new MerkleTree().root(0)));
    }

    @Test
    void rootsAndPathsMatchTheRfcDefinitionForEveryPrefixAndLeaf() {
        MerkleTree t = new MerkleTree();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            t.append(leaf(i));
            leaves.add(leaf(i));
        }
        for (int n = 1; n <= 40; n++) {
            byte[] root = mth(leaves.subList(0, n));
            assertArrayEquals(root, t.root(n), "root of " + n);
            for (int m = 0; m < n; m++) {
                List<byte[]> p = t.inclusionProof(m, n);
                List<byte[]> expected = path(m, leaves.subList(0, n));
                assertEquals(expected.size(), p.size());
                for (int j = 0; j < p.size(); j++) {
                    assertArrayEquals(expected.get(j), p.get(j), "path " + m + " of " + n + " step " + j);
                }
                assertTrue(MerkleTree.verifyInclusion(leaves.get(m), m, n, p, root), m + " in " + n);
            }
        }
    }

    @Test
    void aProofFailsForAnotherLeafIndexOrRoot() {
        MerkleTree t = new MerkleTree();
        for (int i = 0; i < 13; i++) {
            t.append(leaf(i));
        }
        List<byte[]> p = t.inclusionProof(5, 13);
        byte[] root = t.root(13);
        assertTrue(MerkleTree.verifyInclusion(leaf(5), 5, 13, p, root));
        assertFalse(MerkleTree.verifyInclusion(leaf(6), 5, 13, p, root));
        assertFalse(MerkleTree.verifyInclusion(leaf(5), 4, 13, p, root));
        // sizes 9..16 give leaf 5 the same path shape (the root binds the size); 8 does not
        assertFalse(MerkleTree.verifyInclusion(leaf(5), 5, 8, p, root));
        assertFalse(MerkleTree.verifyInclusion(leaf(5), 5, 13, p, t.root(12)));
        assertFalse(MerkleTree.verifyInclusion(leaf(5), 5, 13, p.subList(0, p.size() - 1), root));
    }

    @Test
    void leafAndNodeHashesAreDomainSeparated() {
        byte[] a = leaf(1);
        byte[] b = leaf(2);
        byte[] concatenated = new byte[64];
        System.arraycopy(a, 0, concatenated, 0, 32);
        System.arraycopy(b, 0, concatenated, 32, 32);
        // a second-preimage: a leaf whose bytes are two child hashes must not equal their parent node
        assertFalse(java.util.Arrays.equals(MerkleTree.nodeHash(a, b), MerkleTree.leafHash(concatenated)));
    }
}
