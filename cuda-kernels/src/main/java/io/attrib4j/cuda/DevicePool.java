package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;

/**
 * Device memory reused by size class: a request is rounded up to the next power of two bytes (at
 * least {@value #MIN_CLASS_BYTES}), served from that class's free list when it has a buffer, and
 * allocated otherwise. Buffers come back to their list when the {@link Lease} that borrowed them
 * closes. When an allocation runs out of memory the pool frees its idle buffers and tries once more.
 * {@link #close()} frees everything it ever allocated. Transfers go through its {@link HostStaging}
 * (page-locked by default).
 *
 * <p>Not thread-safe; {@link CudaBackend} serializes its calls.
 */
final class DevicePool implements AutoCloseable {
    static final int MIN_CLASS_BYTES = 256;
    private static final int MIN_CLASS = Integer.numberOfTrailingZeros(MIN_CLASS_BYTES);
    private static final int CLASSES = 63;

    private final List<ArrayDeque<DeviceBuffer>> free = new ArrayList<>(CLASSES);
    private final HostStaging staging;
    private long allocatedBytes;
    private long idleBytes;

    DevicePool() {
        this(HostStaging.fromProperty());
    }

    DevicePool(HostStaging staging) {
        this.staging = staging;
        for (int c = 0; c < CLASSES; c++) {
            free.add(new ArrayDeque<>());
        }
    }

    /** A scope whose buffers all return to the pool when it closes. */
    Lease lease() {
        return new Lease();
    }

    /** Bytes of device memory the pool holds, borrowed or idle. */
    long allocatedBytes() {
        return allocatedBytes;
    }

    /** Bytes of device memory waiting in the free lists. */
    long idleBytes() {
        return idleBytes;
    }

    /** Size class (log2 of the capacity in bytes) serving {@code bytes}. */
    static int sizeClass(long bytes) {
        if (bytes <= MIN_CLASS_BYTES) {
            return MIN_CLASS;
        }
        return 64 - Long.numberOfLeadingZeros(bytes - 1);
    }

    private DeviceBuffer acquire(long bytes) {
        int c = sizeClass(bytes);
        DeviceBuffer reused = free.get(c).poll();
        if (reused != null) {
            idleBytes -= reused.bytes();
            return reused;
        }
        CUdeviceptr pointer = new CUdeviceptr();
        int result = CudaDriver.tryAllocate(pointer, 1L << c);
        if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY && idleBytes > 0) {
            trim();
            result = CudaDriver.tryAllocate(pointer, 1L << c);
        }
        CudaDriver.check(result, "cuMemAlloc(" + (1L << c) + " bytes)");
        allocatedBytes += 1L << c;
        return new DeviceBuffer(pointer, c);
    }

    private void release(DeviceBuffer buffer) {
        free.get(buffer.sizeClass).push(buffer);
        idleBytes += buffer.bytes();
    }

    /** Frees every idle buffer. */
    void trim() {
        BackendException first = null;
        for (ArrayDeque<DeviceBuffer> list : free) {
            for (DeviceBuffer b = list.poll(); b != null; b = list.poll()) {
                idleBytes -= b.bytes();
                allocatedBytes -= b.bytes();
                try {
                    CudaDriver.free(b.pointer);
                } catch (BackendException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Frees every buffer and the staging memory. Called with no lease open ({@link CudaBackend} serializes its calls). */
    @Override
    public void close() {
        try {
            trim();
        } finally {
            staging.close();
        }
    }

    HostStaging staging() {
        return staging;
    }

    /** Buffers borrowed for one backend call. */
    final class Lease implements AutoCloseable {
        private final List<DeviceBuffer> borrowed = new ArrayList<>();

        /** An uninitialized buffer for {@code floats} values. */
        CUdeviceptr allocate(int floats) {
            return allocateBytes((long) floats * Float.BYTES);
        }

        /** An uninitialized buffer for {@code doubles} values. */
        CUdeviceptr allocateDoubles(int doubles) {
            return allocateBytes((long) doubles * Double.BYTES);
        }

        private CUdeviceptr allocateBytes(long bytes) {
            DeviceBuffer b = acquire(bytes);
            borrowed.add(b);
            return b.pointer;
        }

        /** A buffer holding a copy of {@code data}. */
        CUdeviceptr upload(double[] data) {
            CUdeviceptr p = allocateBytes((long) data.length * Double.BYTES);
            if (data.length > 0) {
                staging.toDevice(p, data);
            }
            return p;
        }

        /** A buffer holding a copy of {@code data}. */
        CUdeviceptr upload(float[] data) {
            CUdeviceptr p = allocate(data.length);
            if (data.length > 0) {
                staging.toDevice(p, data);
            }
            return p;
        }

        /** Copies {@code host.length} floats of a buffer of this lease into {@code host}. */
        void download(float[] host, CUdeviceptr device) {
            staging.toHost(host, device);
        }

        /** Copies {@code host.length} doubles of a buffer of this lease into {@code host}. */
        void download(double[] host, CUdeviceptr device) {
            staging.toHost(host, device);
        }

        @Override
        public void close() {
            borrowed.forEach(DevicePool.this::release);
            borrowed.clear();
        }
    }
}
