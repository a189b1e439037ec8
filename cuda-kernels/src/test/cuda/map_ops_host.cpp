// Runs one map operation through the kernels of cam.cu and rollout.cu on the CPU (see host_emulation.h), with the
// launch sequence and arguments of io.attrib4j.cuda.CudaBackend. Used by HostEmulationTest:
//
//   map_ops_host <dir>
//
// <dir>/call.txt holds one line "<op> <arg> ...": a tensor argument is "T<k>:<d0>:<d1>..." (its floats, raw
// little-endian, in <dir>/in<k>.bin), the others are numbers or enum names as Java prints them. Writes the result's
// floats to <dir>/out.bin. Exit status 2 on a malformed call.
#include "host_emulation.h"
#include "cam.cu"
#include "rollout.cu"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct HostTensor {
    std::vector<float> data;
    std::vector<int> dims;
};

std::string dir;

HostTensor load(const std::string& token) {
    HostTensor t;
    std::stringstream in(token.substr(1));
    std::string part;
    std::getline(in, part, ':');
    std::string file = dir + "/in" + part + ".bin";
    size_t size = 1;
    while (std::getline(in, part, ':')) {
        t.dims.push_back(std::stoi(part));
        size *= t.dims.back();
    }
    t.data.resize(size);
    std::ifstream f(file, std::ios::binary);
    f.read(reinterpret_cast<char*>(t.data.data()), static_cast<std::streamsize>(size * sizeof(float)));
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: map_ops_host <dir>\n");
        return 2;
    }
    dir = argv[1];
    std::ifstream call(dir + "/call.txt");
    std::string op, a, b;
    call >> op >> a;
    HostTensor x = load(a);
    const std::vector<int>& d = x.dims;
    std::vector<float> out;
    if (op == "spatialMean") {
        out.resize(static_cast<size_t>(d[0]) * d[1]);
        spatial_mean(out.data(), x.data.data(), d[0] * d[1], d[2] * d[3]);
    } else if (op == "weightedChannelSum") {
        int relu;
        call >> b >> relu;
        HostTensor w = load(b);
        out.resize(static_cast<size_t>(d[0]) * d[2] * d[3]);
        weighted_channel_sum(out.data(), x.data.data(), w.data.data(), d[0], d[1], d[2] * d[3], w.dims.size() == 2,
                             relu);
    } else if (op == "resize") {
        int outH, outW;
        std::string mode;
        call >> outH >> outW >> mode;
        out.resize(static_cast<size_t>(d[0]) * d[1] * outH * outW);
        resize(out.data(), x.data.data(), d[0] * d[1], d[2], d[3], outH, outW, mode == "BILINEAR");
    } else if (op == "fuseHeads") {
        std::string mode;
        call >> mode;
        out.resize(static_cast<size_t>(d[0]) * d[2] * d[3]);
        fuse_heads(out.data(), x.data.data(), d[0], d[1], d[2] * d[3], mode == "MEAN" ? 0 : mode == "MAX" ? 1 : 2);
    } else if (op == "positiveGradientMean") {
        call >> b;
        HostTensor g = load(b);
        out.resize(static_cast<size_t>(d[0]) * d[2] * d[3]);
        positive_gradient_mean(out.data(), x.data.data(), g.data.data(), d[0], d[1], d[2] * d[3]);
    } else if (op == "mixResidual") {
        double residual, discard;
        call >> residual >> discard;
        int seq = d[1];
        int rows = d[0] * seq;
        std::vector<double> mixed(x.data.size());
        long long bits;
        std::memcpy(&bits, &residual, sizeof bits);
        out.resize(x.data.size());
        mix_residual(mixed.data(), x.data.data(), rows, seq, static_cast<int>(std::floor(discard * (seq - 1))), bits);
        normalize_rows(out.data(), mixed.data(), rows, seq);
    } else if (op == "chainProduct") {
        int layers;
        call >> layers;
        int batch = d[0] / layers;
        int seq = d[1];
        int count = batch * seq * seq;
        std::vector<double> product(count), next(count);
        out.resize(count);
        chain_start(product.data(), x.data.data(), count);
        for (int layer = 1; layer < layers; layer++) {
            chain_step(next.data(), x.data.data(), product.data(), batch, seq, layer);
            product.swap(next);
        }
        chain_finish(out.data(), product.data(), count);
    } else {
        std::fprintf(stderr, "map_ops_host: unknown operation %s\n", op.c_str());
        return 2;
    }
    std::ofstream f(dir + "/out.bin", std::ios::binary);
    f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size() * sizeof(float)));
    return f ? 0 : 1;
}
