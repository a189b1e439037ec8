#!/usr/bin/env bash
# Runs the CUDA backend's tests and kernel benchmarks from the GPU test bundle (made by gpu-bundle.sh,
# which copies this script into it) on a machine with an NVIDIA GPU and driver but no Java, Maven or
# network. Everything it needs is in the bundle: jre/, lib/, parity/.
#
#   bash run-gpu-tests.sh              tests, then the benchmarks (skipped when nvidia-smi sees no GPU)
#   ATTRIB4J_BENCH=always ...          run the benchmarks even without a GPU (they fail with the reason)
#   ATTRIB4J_BENCH=never ...           tests only
#   JMH_OPTS="-wi 0 -i 1 -r 1s" ...    other JMH iteration options (default: -wi 2 -w 1s -i 3 -r 1s)
#   GPU_PEAK_GBS=3352 GPU_PCIE_GBS=63  the peaks, when python3 or nvidia-smi cannot tell them
#
# Results go to $OUT (or ./results): run-gpu-tests.log, TEST-junit-jupiter.xml, jmh-gpu.json,
# gpu-kernels.md. Exit status: 1 when a test failed (or none ran), 3 when the tests passed but a
# benchmark failed, 0 otherwise.
set -uo pipefail
bundle=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$bundle/results}
mkdir -p "$out"
exec > >(tee "$out/run-gpu-tests.log") 2>&1

java="$bundle/jre/bin/java"
chmod u+x "$bundle"/jre/bin/* "$bundle/jre/lib/jspawnhelper" 2>/dev/null # a copy may lose the execute bits
cp="$bundle/lib/*"

echo "== the bundle's Java"
"$java" -version || { echo "the bundled JRE does not start: rebuild the bundle with gpu-bundle.sh"; exit 1; }

echo "== the GPU"
gpu=""
if nvidia-smi; then
    gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1)
else
    echo "nvidia-smi found no GPU (or is missing): the GPU tests will be skipped with the reason"
fi

echo "== tests: io.attrib4j.cuda"
# Like Maven's surefire, run the tests in the module directory (some read src/main/cuda) when the bundle sits in
# its usual place, cuda-kernels/target/gpu-bundle of a checkout.
if [ -d "$bundle/../../src/main/cuda" ]; then
    cd "$bundle/../.."
else
    echo "NOTE: the bundle is not in cuda-kernels/target of a checkout: tests that read the module's files will fail"
fi
props=(-Dai.djl.offline=true)
if [ -d "$bundle/parity" ]; then
    props+=("-Dattrib4j.parity.reference=$bundle/parity")
else
    echo "WARNING: no parity/ in the bundle: CudaKernelParityTest has no recorded ND4J reference and needs ND4J, which the bundle leaves out"
fi
# These CPU-only tests run the ND4J CPU backend itself (the recorder against live ND4J, the host emulation of the
# kernels): the bundle leaves ND4J out, so they run in the normal build (mvn test -pl cuda-kernels) only.
nd4j_only='io\.attrib4j\.cuda\.(ParityRecorderTest|HostEmulationTest)'
"$java" "${props[@]}" -cp "$cp" org.junit.platform.console.ConsoleLauncher execute --disable-banner \
    --disable-ansi-colors --details=tree \
    --fail-if-no-tests --include-engine junit-jupiter --select-package io.attrib4j.cuda --exclude-classname "$nd4j_only" --reports-dir "$out"
tests=$?
echo "== tests: exit status $tests"

bench=0
mode=${ATTRIB4J_BENCH:-auto}
if [ "$mode" = never ] || { [ "$mode" = auto ] && [ -z "$gpu" ]; }; then
    echo "== benchmarks skipped (ATTRIB4J_BENCH=$mode${gpu:+, GPU $gpu})"
else
    echo "== benchmarks: CudaKernelBenchmark, IgKernelShareBenchmark on cuda"
    # Peak memory bandwidth from the driver (2 * memory clock * bus width / 8) and the PCIe link's peak
    # per direction (lanes x GT/s x encoding), unless given.
    read -r peak pcie < <(python3 - <<'EOF' 2>/dev/null || echo "${GPU_PEAK_GBS:--} ${GPU_PCIE_GBS:--}"
import ctypes, os, subprocess

def memory_peak():
    cuda = ctypes.CDLL("libcuda.so.1")
    dev, clock, width = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    assert cuda.cuInit(0) == 0 and cuda.cuDeviceGet(ctypes.byref(dev), 0) == 0
    cuda.cuDeviceGetAttribute(ctypes.byref(clock), 36, dev)  # CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, kHz
    cuda.cuDeviceGetAttribute(ctypes.byref(width), 37, dev)  # CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, bits
    return "%.0f" % (2 * clock.value * 1e3 * width.value / 8 / 1e9)

def pcie_peak():
    gen, lanes = subprocess.check_output(["nvidia-smi", "--query-gpu=pcie.link.gen.max,pcie.link.width.max",
                                          "--format=csv,noheader,nounits"], text=True).splitlines()[0].split(",")
    per_lane = {1: 0.25, 2: 0.5, 3: 8 * 128 / 130 / 8, 4: 16 * 128 / 130 / 8, 5: 32 * 128 / 130 / 8,
                6: 64 * 242 / 256 / 8}[int(gen)]  # GB/s per lane and direction
    return "%.1f" % (per_lane * int(lanes))

def given_or(variable, measure):  # "-" when neither given nor measurable
    if os.environ.get(variable):
        return os.environ[variable]
    try:
        return measure()
    except Exception:
        return "-"

print(given_or("GPU_PEAK_GBS", memory_peak), given_or("GPU_PCIE_GBS", pcie_peak))
EOF
    )
    [ "$peak" = - ] && peak=""
    [ "$pcie" = - ] && pcie=""
    echo "memory peak ${peak:-unknown} GB/s, PCIe peak ${pcie:-unknown} GB/s"
    jmh_log=$(mktemp)
    # shellcheck disable=SC2086 # JMH_OPTS is a list of options
    timeout 480 "$java" -cp "$cp" org.openjdk.jmh.Main 'CudaKernelBenchmark|IgKernelShareBenchmark' -p backend=cuda \
        -f 1 ${JMH_OPTS:--wi 2 -w 1s -i 3 -r 1s} -rf json -rff "$out/jmh-gpu.json" | tee "$jmh_log"
    status=${PIPESTATUS[0]}
    failures=$(grep -c '<failure>' "$jmh_log")
    rm -f "$jmh_log"
    if [ "$status" -ne 0 ] || [ "$failures" -ne 0 ]; then
        echo "== benchmarks: exit status $status, $failures failed (each <failure> above is followed by its exception)"
        bench=3
    fi
    if [ -s "$out/jmh-gpu.json" ]; then
        commit=$(cat "$bundle/commit.txt" 2>/dev/null || echo unknown)
        "$java" "-Dattrib4j.commit=$commit" "-Dattrib4j.gpu.name=${gpu:-unknown GPU}" "-Dattrib4j.gpu.peakGBs=${peak:-}" \
            "-Dattrib4j.gpu.pcieGBs=${pcie:-}" -cp "$cp" io.attrib4j.bench.KernelTable "$out/jmh-gpu.json" \
            "$out/gpu-kernels.md" || bench=3
    fi
fi

if [ "$tests" -ne 0 ]; then
    exit 1
fi
exit "$bench"
