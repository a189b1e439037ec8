"""Prints the GPU's peak memory bandwidth and its PCIe link's peak per direction, in GB/s, for the kernel
benchmarks of the GPU test bundle (run-gpu-tests.sh): "3352 63.0" on an H100 SXM in a PCIe 5.0 x16 slot.

memory = 2 x memory clock x bus width / 8, from the driver (CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE and
GLOBAL_MEMORY_BUS_WIDTH of device 0, through ctypes: no CUDA Python package needed);
PCIe = lanes x per-lane rate after line encoding, from nvidia-smi's maximum link generation and width.
GPU_PEAK_GBS and GPU_PCIE_GBS override them; "-" stands for one that is neither given nor measurable.
"""
import ctypes
import os
import subprocess

CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE = 36  # kHz
CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH = 37  # bits

# GB/s per lane and direction: 8b/10b encoding up to PCIe 2.0, 128b/130b for 3.0 to 5.0, FLIT for 6.0.
PER_LANE = {1: 2.5 * 8 / 10 / 8, 2: 5 * 8 / 10 / 8, 3: 8 * 128 / 130 / 8, 4: 16 * 128 / 130 / 8,
            5: 32 * 128 / 130 / 8, 6: 64 * 242 / 256 / 8}


def memory_peak():
    cuda = ctypes.CDLL("libcuda.so.1")
    dev, clock, width = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    if cuda.cuInit(0) != 0 or cuda.cuDeviceGet(ctypes.byref(dev), 0) != 0:
        raise RuntimeError("no CUDA device")
    cuda.cuDeviceGetAttribute(ctypes.byref(clock), CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, dev)
    cuda.cuDeviceGetAttribute(ctypes.byref(width), CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, dev)
    return "%.0f" % (2 * clock.value * 1e3 * width.value / 8 / 1e9)


def pcie_peak():
    line = subprocess.check_output(["nvidia-smi", "--query-gpu=pcie.link.gen.max,pcie.link.width.max",
                                    "--format=csv,noheader,nounits"], text=True).splitlines()[0]
    gen, lanes = (int(v) for v in line.split(","))
    return "%.1f" % (PER_LANE[gen] * lanes)


def given_or(variable, measure):
    if os.environ.get(variable):
        return os.environ[variable]
    try:
        return measure()
    except Exception:  # no driver, no nvidia-smi, an unknown generation: unknown
        return "-"


print(given_or("GPU_PEAK_GBS", memory_peak), given_or("GPU_PCIE_GBS", pcie_peak))
