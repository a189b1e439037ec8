#!/usr/bin/env bash
# The portable GPU test bundle: one folder, cuda-kernels/target/gpu-bundle/, under 60 MB, that runs the
# CUDA backend's tests and the kernel benchmarks on a bare CUDA machine without Java and without network:
#
#   jre/                 a Java runtime made by jlink with only the modules the jars need (jdeps)
#   lib/                 engine, cuda-kernels (+ its test classes), testkit, gradients, attention, bench; JCuda and
#                        its linux-x86_64 natives; the JUnit console launcher; JMH; Jackson; SLF4J
#   parity/              the ND4J CPU results the parity tests compare with (ND4J itself is 90 MB: left out)
#   run-gpu-tests.sh     runs it all there (see that script), with gpu-peaks.py for the bandwidth peaks
#
#   cuda-kernels/gpu-bundle.sh        (runs `mvn -o -DskipTests package` of the modules it takes first)
#
# Needs JDK 17 (JAVA_HOME, else /usr/lib/jvm/java-17-openjdk-amd64) and zip. The JUnit console launcher
# comes from the local Maven repository, or once from Maven Central when it is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bundle="$root/cuda-kernels/target/gpu-bundle"
limit_mb=60
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1) # the parent's own version
junit_platform=$(sed -n 's:.*<junit.platform.version>\(.*\)</junit.platform.version>.*:\1:p' pom.xml)
thirdparty="$root/bench/target/lib" # bench's runtime dependencies, copied there by `package`

fail() {
    echo "gpu-bundle: $*" >&2
    exit 1
}

# One file matching the pattern (a glob), or a failure naming it.
one() {
    local matches=($1)
    [ ${#matches[@]} -eq 1 ] && [ -f "${matches[0]}" ] || fail "expected one file $1, found: ${matches[*]}; did the mvn package step above fail?"
    echo "${matches[0]}"
}

echo "== the jars (mvn package of bench and what it needs: a stale jar would miss new tests or benchmarks)"
# Also writes each module's test class path (ND4J included, for the parity recorder) to target/test-classpath.txt.
mvn -B -o -q -DskipTests package dependency:build-classpath -pl bench -am -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt
modules=(engine cuda-kernels testkit gradients attention bench)
for m in "${modules[@]}"; do
    one "$m/target/attrib4j-$m-$version.jar" >/dev/null
done
unzip -l "cuda-kernels/target/attrib4j-cuda-kernels-$version.jar" | grep -q 'io/attrib4j/cuda/ptx/' ||
    echo "WARNING: the cuda-kernels jar holds no kernels (built without nvcc?): on the GPU the backend will report itself unavailable"

rm -rf "$bundle"
mkdir -p "$bundle/lib"
for m in "${modules[@]}"; do
    cp "$m/target/attrib4j-$m-$version.jar" "$bundle/lib/"
done
"$JAVA_HOME/bin/jar" --create --file "$bundle/lib/attrib4j-cuda-kernels-$version-tests.jar" -C cuda-kernels/target/test-classes .
for pattern in 'jcuda-[0-9]*.jar' 'jcuda-natives-*-linux-x86_64.jar' 'jmh-core-*.jar' 'jopt-simple-*.jar' \
    'commons-math3-*.jar' 'slf4j-api-*.jar' 'slf4j-simple-*.jar' 'jackson-databind-*.jar' 'jackson-core-*.jar' \
    'jackson-annotations-*.jar'; do
    cp "$(one "$thirdparty/$pattern")" "$bundle/lib/"
done
# JCuda's natives jar also carries libJNvPTXCompiler (24 MB, the nvPTXCompiler binding): nothing here uses it.
zip -q -d "$(one "$bundle/lib/jcuda-natives-*.jar")" 'lib/libJNvPTXCompiler*'

console="junit-platform-console-standalone-$junit_platform.jar"
copy_console() {
    mvn -B -q -N "$@" dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
        -DoutputDirectory="$bundle/lib"
}
copy_console -o 2>/dev/null || { echo "fetching $console from Maven Central"; copy_console; }
one "$bundle/lib/$console" >/dev/null

echo "== the Java runtime"
# Every module the jars use (jdeps), less java.desktop: only the PNG export (Heatmap), the CLI's plots
# and parts of commons-math3 that the tests and benchmarks never load reach it, and it weighs 11 MB.
# Plus jdk.zipfs, the jar: file system JUnit scans the test jar with: a service, which jdeps cannot see.
needed=$("$JAVA_HOME/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$bundle"/lib/*.jar)
jre_modules=$( (echo "$needed" | tr ',' '\n' | grep -vx 'java.desktop'; echo jdk.zipfs) | paste -sd, -)
echo "jdeps: $needed -> jlink: $jre_modules"
"$JAVA_HOME/bin/jlink" --add-modules "$jre_modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$bundle/jre"
# The JDK's libjvm.so keeps its symbol table (4 MB); the JVM links and runs on the dynamic symbols alone.
if command -v strip >/dev/null; then
    find "$bundle/jre" -name '*.so' -exec strip --strip-unneeded {} +
fi

echo "== the parity reference"
if [ -f cuda-kernels/target/test-classes/io/attrib4j/cuda/ParityRecorder.class ]; then
    test_cp="cuda-kernels/target/test-classes:cuda-kernels/target/classes:$(cat cuda-kernels/target/test-classpath.txt)"
    "$JAVA_HOME/bin/java" -cp "$test_cp" io.attrib4j.cuda.ParityRecorder "$bundle/parity"
else
    echo "WARNING: io.attrib4j.cuda.ParityRecorder is not in the cuda-kernels test classes: the bundle has no parity/," \
        "and CudaKernelParityTest will need ND4J on the GPU machine (it is not in the bundle)"
fi

cp cuda-kernels/run-gpu-tests.sh cuda-kernels/gpu-peaks.py "$bundle/"
# The commit the bundle was built from, for the results (the GPU machine may have no git).
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
    git diff --quiet HEAD || commit="$commit-dirty"
fi
echo "${commit:-unknown}" > "$bundle/commit.txt"
chmod +x "$bundle/run-gpu-tests.sh"

echo "== checks"
"$bundle/jre/bin/java" -version
listed=$("$bundle/jre/bin/java" -cp "$bundle/lib/*" org.openjdk.jmh.Main -l | grep -c 'CudaKernelBenchmark\|IgKernelShareBenchmark' || true)
echo "benchmarks the bundle's JMH lists: $listed"
[ "$listed" -gt 0 ] || fail "the bundle's JMH lists no kernel benchmark: is the bench jar stale or built without the JMH annotation processor?"

echo "== size"
{ du -sb "$bundle"/*; du -sb "$bundle"/lib/*; } | sort -rn | awk '{printf "%8.1f MB  %s\n", $1 / 1e6, $2}' | sed "s:$bundle/::"
size=$(du -sb "$bundle" | cut -f1)
awk -v s="$size" -v b="$bundle" 'BEGIN { printf "gpu-bundle: %.1f MB in %s\n", s / 1e6, b }'
if [ "$size" -gt $((limit_mb * 1000 * 1000)) ]; then
    fail "the bundle is $size bytes, over the $limit_mb MB limit: see the sizes above (parity/ grows with the parity cases)"
fi
