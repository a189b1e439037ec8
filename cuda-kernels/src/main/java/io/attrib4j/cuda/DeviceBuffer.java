package io.attrib4j.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A block of device memory of one {@link DevicePool} size class. Owned by the pool, which frees it;
 * callers borrow it through a {@link DevicePool.Lease}.
 */
final class DeviceBuffer {
    final CUdeviceptr pointer;
    final int sizeClass;

    DeviceBuffer(CUdeviceptr pointer, int sizeClass) {
        this.pointer = pointer;
        this.sizeClass = sizeClass;
    }

    /** Capacity in bytes: {@code 2^sizeClass}. */
    long bytes() {
        return 1L << sizeClass;
    }
}
