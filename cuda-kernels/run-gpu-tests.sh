#!/usr/bin/env bash
# Runs the CUDA backend's tests and kernel benchmarks from the GPU test bundle (made by gpu-bundle.sh,
# which copies this script into it) on a machine with an NVIDIA GPU and driver but no Java, Maven or
# network. Everything it needs is in the bundle: jre/, lib/, parity/, gpu-peaks.py.
#
#   bash run-gpu-tests.sh              tests, then the benchmarks (skipped when nvidia-smi sees no GPU)
#   ATTRIB4J_BENCH=always ...          run the benchmarks even without a GPU (they fail with the reason)
#   ATTRIB4J_BENCH=never ...           tests only
#   JMH_OPTS="-wi 0 -i 1 -r 1s" ...    other JMH iteration options (default: -wi 2 -w 1s -i 3 -r 1s)
#   GPU_PEAK_GBS=3352 GPU_PCIE_GBS=63  the peaks, when python3 or nvidia-smi cannot tell them
#
# Results go to $OUT (or <bundle>/results): run-gpu-tests.log, TEST-junit-jupiter.xml, jmh-gpu.json,
# gpu-kernels.md. Exit status: 1 when a test failed (or none ran), 3 when the tests passed but a
# benchmark failed, 0 otherwise.
set -uo pipefail
bundle=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$bundle/results}
java="$bundle/jre/bin/java"
cp="$bundle/lib/*"

# Prints the device and sets $gpu to its one-line description, or to "" when nvidia-smi sees none.
show_gpu() {
    echo "== the GPU"
    gpu=""
    if nvidia-smi; then
        gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1)
    else
        echo "nvidia-smi found no GPU (or is missing): the GPU tests will be skipped with the reason"
    fi
}

# The JUnit console launcher over io.attrib4j.cuda; returns its exit status.
run_tests() {
    echo "== tests: io.attrib4j.cuda"
    # Like Maven's surefire, run in the module directory (some tests read src/main/cuda) when the bundle
    # sits in its usual place, cuda-kernels/target/gpu-bundle of a checkout.
    if [ -d "$bundle/../../src/main/cuda" ]; then
        cd "$bundle/../.." || return 1
    else
        echo "NOTE: the bundle is not in cuda-kernels/target of a checkout: tests that read the module's files will fail"
    fi
    # Strict: a CUDA call that fails throws instead of being answered by the CPU backend, so a parity test in
    # which the GPU computed nothing fails rather than compares the CPU with itself.
    local props=(-Dai.djl.offline=true -Dattrib4j.cuda.fallback=false)
    if [ -d "$bundle/parity" ]; then
        props+=("-Dattrib4j.parity.reference=$bundle/parity")
    else
        echo "WARNING: no parity/ in the bundle: CudaKernelParityTest has no recorded reference and needs ND4J," \
            "which the bundle leaves out"
    fi
    # These CPU-only tests run the ND4J CPU backend itself (the recorder against live ND4J, the host emulation
    # of the kernels): the bundle leaves ND4J out, so they run in the normal build (mvn test -pl cuda-kernels).
    local nd4j_only='io\.attrib4j\.cuda\.(ParityRecorderTest|HostEmulationTest)'
    "$java" "${props[@]}" -cp "$cp" org.junit.platform.console.ConsoleLauncher execute --disable-banner \
        --disable-ansi-colors --details=tree --fail-if-no-tests --include-engine junit-jupiter \
        --select-package io.attrib4j.cuda --exclude-classname "$nd4j_only" --reports-dir "$out"
    local status=$?
    echo "== tests: exit status $status"
    return "$status"
}

# CudaKernelBenchmark and IgKernelShareBenchmark on cuda, then their table; returns 3 when one failed.
run_benchmarks() {
    echo "== benchmarks: CudaKernelBenchmark, IgKernelShareBenchmark on cuda"
    local peak pcie
    read -r peak pcie < <(python3 "$bundle/gpu-peaks.py" 2>/dev/null || echo "${GPU_PEAK_GBS:--} ${GPU_PCIE_GBS:--}")
    [ "$peak" = - ] && peak=""
    [ "$pcie" = - ] && pcie=""
    echo "memory peak ${peak:-unknown} GB/s, PCIe peak ${pcie:-unknown} GB/s"
    local log result=0
    log=$(mktemp)
    # shellcheck disable=SC2086 # JMH_OPTS is a list of options
    timeout 480 "$java" -cp "$cp" org.openjdk.jmh.Main 'CudaKernelBenchmark|IgKernelShareBenchmark' -p backend=cuda \
        -f 1 -jvmArgsAppend -Dattrib4j.cuda.fallback=false ${JMH_OPTS:--wi 2 -w 1s -i 3 -r 1s} -rf json -rff "$out/jmh-gpu.json" | tee "$log"
    local status=${PIPESTATUS[0]} failures
    failures=$(grep -c '<failure>' "$log")
    rm -f "$log"
    if [ "$status" -ne 0 ] || [ "$failures" -ne 0 ]; then
        echo "== benchmarks: exit status $status, $failures failed (each <failure> above is followed by its exception)"
        result=3
    fi
    if [ -s "$out/jmh-gpu.json" ]; then
        "$java" "-Dattrib4j.commit=$(cat "$bundle/commit.txt" 2>/dev/null || echo unknown)" \
            "-Dattrib4j.gpu.name=${gpu:-unknown GPU}" "-Dattrib4j.gpu.peakGBs=$peak" "-Dattrib4j.gpu.pcieGBs=$pcie" \
            -cp "$cp" io.attrib4j.bench.KernelTable "$out/jmh-gpu.json" "$out/gpu-kernels.md" || result=3
    fi
    return "$result"
}

main() {
    chmod u+x "$bundle"/jre/bin/* "$bundle/jre/lib/jspawnhelper" 2>/dev/null # a copy may lose the execute bits
    echo "== the bundle's Java"
    "$java" -version || { echo "the bundled JRE does not start: rebuild the bundle with gpu-bundle.sh"; return 1; }
    show_gpu
    run_tests
    local tests=$? bench=0
    local mode=${ATTRIB4J_BENCH:-auto}
    if [ "$mode" = never ]; then
        echo "== benchmarks skipped (ATTRIB4J_BENCH=never)"
    elif [ "$mode" = auto ] && [ -z "$gpu" ]; then
        echo "== benchmarks skipped: no GPU seen (ATTRIB4J_BENCH=always runs them anyway)"
    else
        run_benchmarks
        bench=$?
    fi
    [ "$tests" -eq 0 ] || return 1
    return "$bench"
}

mkdir -p "$out"
main 2>&1 | tee "$out/run-gpu-tests.log"
exit "${PIPESTATUS[0]}"
