package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import java.nio.charset.StandardCharsets;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The one place that calls JCuda. Every call checks its {@link CUresult} and turns a failure into a
 * {@link BackendException} naming the call and the result ({@code CUDA_ERROR_OUT_OF_MEMORY}, ...).
 *
 * <p>Touching this class's methods loads JCuda's JNI library, which links {@code libcuda.so.1}; without
 * the NVIDIA driver that throws {@link UnsatisfiedLinkError}. Only {@link CudaBackendProvider}'s probe
 * makes the first call, and it catches that.
 */
final class CudaDriver {
    private CudaDriver() {}

    /** {@code cuInit}; returns the raw result so the probe can tell "no device" from other failures. */
    static int init() {
        return JCudaDriver.cuInit(0);
    }

    static String resultName(int result) {
        return CUresult.stringFor(result);
    }

    static int deviceCount() {
        int[] count = new int[1];
        check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        return count[0];
    }

    static CUdevice device(int ordinal) {
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet");
        return device;
    }

    static String deviceName(CUdevice device) {
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.UTF_8).trim();
    }

    static int multiprocessorCount(CUdevice device) {
        int[] value = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(value, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT,
                device), "cuDeviceGetAttribute");
        return value[0];
    }

    /** The device's compute capability as {@code 10 * major + minor} (90 for an H100). */
    static int computeCapability(CUdevice device) {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device), "cuDeviceGetAttribute");
        check(JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                device), "cuDeviceGetAttribute");
        return 10 * major[0] + minor[0];
    }

    /** The CUDA version the driver supports, such as {@code "12.2"} (driver R535). */
    static String driverVersion() {
        int[] version = new int[1];
        check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        return version[0] / 1000 + "." + version[0] % 1000 / 10;
    }

    /** The device of the context current on this thread. */
    static CUdevice currentDevice() {
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuCtxGetDevice(device), "cuCtxGetDevice");
        return device;
    }

    /** The device's primary context (shared with other CUDA users in this process, such as libtorch). */
    static CUcontext retainPrimaryContext(CUdevice device) {
        CUcontext context = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        return context;
    }

    static void releasePrimaryContext(CUdevice device) {
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
    }

    static void makeCurrent(CUcontext context) {
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /**
     * {@code cuModuleLoadData} of a fatbin, a CUBIN or NUL-terminated PTX text; returns the raw result so the
     * caller can fall back to NVRTC when the driver refuses a prebuilt image.
     */
    static int tryLoadModule(CUmodule module, byte[] image) {
        return JCudaDriver.cuModuleLoadData(module, image);
    }

    static void unloadModule(CUmodule module) {
        check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload");
    }

    static CUfunction function(CUmodule module, String name) {
        CUfunction function = new CUfunction();
        check(JCudaDriver.cuModuleGetFunction(function, module, name), "cuModuleGetFunction(" + name + ")");
        return function;
    }

    /** {@code cuMemAlloc}; returns the raw result as well so the pool can retry after out-of-memory. */
    static int tryAllocate(CUdeviceptr pointer, long bytes) {
        return JCudaDriver.cuMemAlloc(pointer, bytes);
    }

    static void free(CUdeviceptr pointer) {
        check(JCudaDriver.cuMemFree(pointer), "cuMemFree");
    }

    /** {@code cuMemAllocHost}: {@code bytes} of page-locked host memory. */
    static Pointer allocateHost(long bytes) {
        Pointer pointer = new Pointer();
        check(JCudaDriver.cuMemAllocHost(pointer, bytes), "cuMemAllocHost(" + bytes + " bytes)");
        return pointer;
    }

    static void freeHost(Pointer pointer) {
        check(JCudaDriver.cuMemFreeHost(pointer), "cuMemFreeHost");
    }

    /** {@code bytes} from page-locked {@code host} memory; returns when the copy is done. */
    static void copyToDevice(CUdeviceptr device, Pointer host, long bytes) {
        check(JCudaDriver.cuMemcpyHtoD(device, host, bytes), "cuMemcpyHtoD");
    }

    /** {@code bytes} into page-locked {@code host} memory; waits for the kernels before it on the stream. */
    static void copyToHost(Pointer host, CUdeviceptr device, long bytes) {
        check(JCudaDriver.cuMemcpyDtoH(host, device, bytes), "cuMemcpyDtoH");
    }

    static void copyToDevice(CUdeviceptr device, float[] host) {
        check(JCudaDriver.cuMemcpyHtoD(device, Pointer.to(host), (long) host.length * Float.BYTES), "cuMemcpyHtoD");
    }

    static void copyToDevice(CUdeviceptr device, double[] host) {
        check(JCudaDriver.cuMemcpyHtoD(device, Pointer.to(host), (long) host.length * Double.BYTES), "cuMemcpyHtoD");
    }

    /** Synchronous copy of {@code host.length} doubles; waits for the kernels before it on the stream. */
    static void copyToHost(double[] host, CUdeviceptr device) {
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(host), device, (long) host.length * Double.BYTES), "cuMemcpyDtoH");
    }

    /** Synchronous copy of {@code host.length} floats; waits for the kernels before it on the stream. */
    static void copyToHost(float[] host, CUdeviceptr device) {
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(host), device, (long) host.length * Float.BYTES), "cuMemcpyDtoH");
    }

    /**
     * Launches a one-dimensional grid on the default stream.
     *
     * @param args kernel arguments in order: {@link CUdeviceptr}s, {@code Integer}s ({@code int}),
     *     {@code Long}s ({@code long long}) and {@code Float}s ({@code float})
     */
    static void launch(CUfunction function, int blocks, int threadsPerBlock, Object... args) {
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof CUdeviceptr p) {
                params[i] = Pointer.to(p);
            } else if (args[i] instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (args[i] instanceof Long v) {
                params[i] = Pointer.to(new long[] {v});
            } else if (args[i] instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " is a " + args[i].getClass().getName()
                        + "; only device pointers, ints, longs and floats are passed");
            }
        }
        check(JCudaDriver.cuLaunchKernel(function, blocks, 1, 1, threadsPerBlock, 1, 1, 0, null, Pointer.to(params),
                null), "cuLaunchKernel");
    }

    /** Throws a {@link BackendException} naming {@code call} and the result when {@code result} is not success. */
    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new BackendException("CUDA call " + call + " failed with " + resultName(result)
                    + "; check the GPU with nvidia-smi, or run with --backend cpu");
        }
    }
}
