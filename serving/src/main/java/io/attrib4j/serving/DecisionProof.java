package io.attrib4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.InvalidInputException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /v1/decisions/{requestId}/proof} answers: one audit record, its RFC 6962 inclusion proof and
 * the signed checkpoint whose tree contains it. {@link #verify(PublicKey)} checks it with nothing but the
 * server's public key: a third party needs no access to the database.
 *
 * @param seq the record's sequence number (leaf {@code seq - 1})
 * @param record the record's canonical JSON, exactly the bytes its leaf hashes (after the prefix of
 *     {@link AuditTrail#recordBytes})
 * @param treeSize the size of the tree the proof is for
 * @param path the audit path, hex, leaf side first
 * @param root the tree's root, hex
 * @param checkpoint the signed checkpoint of that tree (absent when the server does not sign)
 */
public record DecisionProof(long seq, String record, long treeSize, List<String> path, String root,
        Checkpoint checkpoint) {

    /** Empty when the proof holds; else what is wrong. */
    public Optional<String> verify(PublicKey key) {
        if (checkpoint == null) {
            return Optional.of("the proof carries no signed checkpoint: the server runs without a signing key");
        }
        if (!checkpoint.verify(key)) {
            return Optional.of("the checkpoint's signature does not verify with this public key");
        }
        if (checkpoint.treeSize() != treeSize || !checkpoint.root().equals(root)) {
            return Optional.of("the proof is for a tree (size " + treeSize + ") other than the signed checkpoint's ("
                    + checkpoint.treeSize() + ")");
        }
        byte[] leaf = MerkleTree.leafHash(AuditTrail.recordBytes(seq, record));
        List<byte[]> p = path.stream().map(HexFormat.of()::parseHex).toList();
        if (!MerkleTree.verifyInclusion(leaf, seq - 1, treeSize, p, checkpoint.rootBytes())) {
            return Optional.of("record " + seq + " is not in the signed tree: the record or the path was altered");
        }
        return Optional.empty();
    }

    public ObjectNode toJson() {
        ObjectNode o = ExplainJson.JSON.createObjectNode();
        o.put("seq", seq);
        o.put("record", record);
        o.put("treeSize", treeSize);
        ArrayNode a = o.putArray("path");
        path.forEach(a::add);
        o.put("root", root);
        if (checkpoint != null) {
            o.set("checkpoint", checkpoint.toJson());
        }
        return o;
    }

    public static DecisionProof fromJson(JsonNode o) {
        if (!o.hasNonNull("seq") || !o.hasNonNull("record") || !o.hasNonNull("treeSize") || !o.has("path")) {
            throw new InvalidInputException("a decision proof needs seq, record, treeSize and path; got fields "
                    + o.properties().stream().map(java.util.Map.Entry::getKey).toList());
        }
        List<String> path = new ArrayList<>();
        o.get("path").forEach(n -> path.add(n.asText()));
        return new DecisionProof(o.get("seq").asLong(), o.get("record").asText(), o.get("treeSize").asLong(), path,
                o.path("root").asText(), o.hasNonNull("checkpoint") ? Checkpoint.fromJson(o.get("checkpoint")) : null);
    }
}
