package io.attrib4j.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Host side of every transfer. With {@code pinned} (the default) values go through one page-locked
 * staging buffer ({@code cuMemAllocHost}), grown to the largest transfer seen up to {@value #MAX_MB} MB and
 * reused, so the copy engine reads and writes it by DMA at full PCIe speed; larger transfers go through
 * it in chunks. Without, the Java arrays are copied directly (the driver then stages pageable memory
 * itself). {@code -Dattrib4j.cuda.pinned=false} chooses that, to measure one against the other.
 *
 * <p>Host-to-device copies from page-locked memory return once the copy is done (the CUDA driver API's
 * synchronization rules), so the buffer can be refilled at once. Not thread-safe; {@link CudaBackend}
 * serializes its calls. {@link #close()} frees the buffer.
 */
final class HostStaging implements AutoCloseable {
    /** The system property that turns staging through page-locked memory off ({@code false}). */
    static final String PROPERTY = "attrib4j.cuda.pinned";
    static final int MAX_MB = 64;
    private static final long MAX_BYTES = (long) MAX_MB << 20;

    private final boolean pinned;
    private Pointer buffer;
    private ByteBuffer view;
    private long capacity;

    HostStaging(boolean pinned) {
        this.pinned = pinned;
    }

    /** Staging as the system property {@value #PROPERTY} says (page-locked unless it is {@code false}). */
    static HostStaging fromProperty() {
        return new HostStaging(!"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim()));
    }

    boolean pinned() {
        return pinned;
    }

    /** Page-locked bytes held (0 without pinning, or before the first transfer). */
    long pinnedBytes() {
        return capacity;
    }

    void toDevice(CUdeviceptr device, float[] host) {
        if (!pinned) {
            CudaDriver.copyToDevice(device, host);
            return;
        }
        chunks(host.length, Float.BYTES, (from, n, offset, bytes) -> {
            view.asFloatBuffer().put(host, from, n);
            CudaDriver.copyToDevice(device.withByteOffset(offset), buffer, bytes);
        });
    }

    void toDevice(CUdeviceptr device, double[] host) {
        if (!pinned) {
            CudaDriver.copyToDevice(device, host);
            return;
        }
        chunks(host.length, Double.BYTES, (from, n, offset, bytes) -> {
            view.asDoubleBuffer().put(host, from, n);
            CudaDriver.copyToDevice(device.withByteOffset(offset), buffer, bytes);
        });
    }

    void toHost(float[] host, CUdeviceptr device) {
        if (!pinned) {
            CudaDriver.copyToHost(host, device);
            return;
        }
        chunks(host.length, Float.BYTES, (from, n, offset, bytes) -> {
            CudaDriver.copyToHost(buffer, device.withByteOffset(offset), bytes);
            view.asFloatBuffer().get(host, from, n);
        });
    }

    void toHost(double[] host, CUdeviceptr device) {
        if (!pinned) {
            CudaDriver.copyToHost(host, device);
            return;
        }
        chunks(host.length, Double.BYTES, (from, n, offset, bytes) -> {
            CudaDriver.copyToHost(buffer, device.withByteOffset(offset), bytes);
            view.asDoubleBuffer().get(host, from, n);
        });
    }

    /** One chunk of a transfer: values {@code [from, from + n)}, at byte {@code offset} of the device buffer. */
    private interface Chunk {
        void move(int from, int n, long offset, long bytes);
    }

    /** Splits a transfer of {@code count} values of {@code size} bytes into chunks that fit the staging buffer. */
    private void chunks(int count, int size, Chunk chunk) {
        int per = chunk(count, size);
        for (int from = 0; from < count; from += per) {
            int n = Math.min(per, count - from);
            chunk.move(from, n, (long) from * size, (long) n * size);
        }
    }

    /**
     * Values of {@code size} bytes that one chunk moves for a transfer of {@code count} values, growing the
     * buffer (to a power of two, at most {@value #MAX_MB} MB) when the transfer needs more and it is smaller.
     */
    private int chunk(int count, int size) {
        long wanted = chunkBytes((long) count * size);
        if (capacity < wanted) {
            close();
            buffer = CudaDriver.allocateHost(wanted);
            capacity = wanted;
            view = buffer.getByteBuffer(0, wanted).order(ByteOrder.nativeOrder());
        }
        return (int) (capacity / size);
    }

    /** The staging size for a transfer of {@code bytes}: the next power of two, between 4 KB and {@value #MAX_MB} MB. */
    static long chunkBytes(long bytes) {
        long p = Long.highestOneBit(Math.max(bytes, 4096) - 1) << 1;
        return Math.min(p, MAX_BYTES);
    }

    @Override
    public void close() {
        if (buffer != null) {
            Pointer held = buffer;
            buffer = null;
            view = null;
            capacity = 0;
            CudaDriver.freeHost(held);
        }
    }
}
