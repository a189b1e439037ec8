package io.attrib4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed statement "the audit tree held {@code treeSize} records with this {@code root} at {@code time}",
 * Ed25519 over {@link #message()}. One JSON line of the checkpoint log:
 * {@code {"treeSize":n,"root":"hex","time":"ISO-8601","signature":"base64"}}.
 *
 * @param treeSize records covered (sequence numbers 1..treeSize)
 * @param root the RFC 6962 root of those records, hex
 * @param time when it was signed (ISO-8601 instant)
 * @param signature Ed25519 signature of {@link #message()}, base64
 */
public record Checkpoint(long treeSize, String root, String time, String signature) {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    /** The signed bytes: {@code "attrib4j-audit-checkpoint v1\n" + treeSize + "\n" + root + "\n" + time}. */
    public byte[] message() {
        return message(treeSize, root, time);
    }

    private static byte[] message(long treeSize, String root, String time) {
        return ("attrib4j-audit-checkpoint v1\n" + treeSize + "\n" + root + "\n" + time).getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a checkpoint. */
    public static Checkpoint sign(PrivateKey key, long treeSize, byte[] root, String time) {
        String hex = HexFormat.of().formatHex(root);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message(treeSize, hex, time));
            return new Checkpoint(treeSize, hex, time, Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new InvalidOptionException("cannot sign with the audit key: " + e.getMessage()
                    + "; use a key written by 'attrib4j audit keygen'");
        }
    }

    /** Whether the signature is valid for {@code key}. */
    public boolean verify(PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message());
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The root as bytes. */
    public byte[] rootBytes() {
        return HexFormat.of().parseHex(root);
    }

    /** This checkpoint as one JSON object. */
    public ObjectNode toJson() {
        ObjectNode o = ExplainJson.JSON.createObjectNode();
        o.put("treeSize", treeSize);
        o.put("root", root);
        o.put("time", time);
        o.put("signature", signature);
        return o;
    }

    /** Reads a checkpoint from its JSON form. */
    public static Checkpoint fromJson(JsonNode o) {
        if (!o.hasNonNull("treeSize") || !o.hasNonNull("root") || !o.hasNonNull("time") || !o.hasNonNull("signature")) {
            throw new InvalidInputException("a checkpoint needs treeSize, root, time and signature; got " + o);
        }
        return new Checkpoint(o.get("treeSize").asLong(), o.get("root").asText(), o.get("time").asText(),
                o.get("signature").asText());
    }

    /** A fresh Ed25519 key pair written to {@code dir/audit.key} (owner-only) and {@code dir/audit.pub} (PEM). */
    public static KeyPair generateKeys(Path dir) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(dir);
            Path key = dir.resolve("audit.key");
            if (Files.exists(key)) {
                throw new InvalidOptionException(key + " exists; a new key would orphan the checkpoints signed with it — "
                        + "choose another --out or move the old key away first");
            }
            Files.writeString(dir.resolve("audit.pub"), pem(PUBLIC, pair.getPublic().getEncoded()));
            Files.createFile(key);
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the operator protects the file
            }
            Files.writeString(key, pem(PRIVATE, pair.getPrivate().getEncoded()));
            return pair;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidOptionException("cannot write audit keys to " + dir + ": " + e.getMessage());
        }
    }

    /** Reads {@code audit.key} (PKCS#8 PEM). */
    public static PrivateKey readPrivateKey(Path file) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(unpem(file, PRIVATE)));
        } catch (GeneralSecurityException e) {
            throw new InvalidOptionException(file + " is not an Ed25519 private key: " + e.getMessage()
                    + "; write one with 'attrib4j audit keygen --out DIR'");
        }
    }

    /** Reads {@code audit.pub} (X.509 PEM). */
    public static PublicKey readPublicKey(Path file) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(unpem(file, PUBLIC)));
        } catch (GeneralSecurityException e) {
            throw new InvalidOptionException(file + " is not an Ed25519 public key: " + e.getMessage()
                    + "; use the audit.pub written by 'attrib4j audit keygen'");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) {
        try {
            String text = Files.readString(file);
            int b = text.indexOf("-----BEGIN " + type + "-----");
            int e = text.indexOf("-----END " + type + "-----");
            if (b < 0 || e < b) {
                throw new InvalidOptionException(file + " holds no PEM '" + type + "' block; use the files written by "
                        + "'attrib4j audit keygen'");
            }
            return Base64.getMimeDecoder().decode(text.substring(b + type.length() + 16, e));
        } catch (IOException ex) {
            throw new InvalidOptionException("cannot read key file " + file + ": " + ex.getMessage());
        }
    }
}
