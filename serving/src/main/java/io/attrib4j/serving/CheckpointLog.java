package io.attrib4j.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.attrib4j.engine.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only file of signed {@link Checkpoint}s, one JSON line each, kept apart from the audit database
 * (another path, ideally another machine or a write-once bucket synced from it). Each append is forced to disk.
 */
public final class CheckpointLog implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;

    private CheckpointLog(Path file) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel repair = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long end = repair.size(); // a crash mid-append leaves a torn last line: cut it before appending
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                repair.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < repair.size()) {
                repair.truncate(end);
                repair.force(true);
            }
        }
        this.channel = FileChannel.open(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Opens (creating) the log for appending. */
    public static CheckpointLog open(Path file) {
        try {
            return new CheckpointLog(file);
        } catch (IOException e) {
            throw new AuditException("cannot open the checkpoint log " + file + ": " + e.getMessage()
                    + "; give a writable path (serve --checkpoint-log FILE)", e);
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Appends one checkpoint and forces it to disk. */
    public synchronized void append(Checkpoint c) {
        try {
            ByteBuffer line = ByteBuffer.wrap((c.toJson().toString() + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                channel.write(line);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new AuditException("cannot append to the checkpoint log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every checkpoint in {@code file}, oldest first; a torn last line (a crash mid-write) is skipped. */
    public static List<Checkpoint> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the checkpoint log " + file + ": " + e.getMessage());
        }
        List<Checkpoint> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(Checkpoint.fromJson(ExplainJson.JSON.readTree(line)));
            } catch (JsonProcessingException | InvalidInputException e) {
                if (i < lines.size() - 1) {
                    throw new InvalidInputException("line " + (i + 1) + " of checkpoint log " + file
                            + " is not a checkpoint: " + e.getMessage() + " — the log was altered");
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new AuditException("cannot close the checkpoint log " + file + ": " + e.getMessage(), e);
        }
    }
}
