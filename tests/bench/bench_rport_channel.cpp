// One rport channel at full speed, for channel.sh: rportd's runtime in this
// process, the original client connected to it, and a channel to the echo
// server whose port is given. MB megabytes go out and come back; the program
// prints the wall time and this process's CPU time as JSON. The echo server
// runs in another process, so the CPU counted is the server's own: framing,
// encryption, WebSocket and the channel windows.
//
// usage: bench_rport_channel ECHO_PORT MEGABYTES
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "OriginalRport.h"
#include "TempDir.h"
#include "app/ServerRuntime.h"
#include "client_listener/ClientSession.h"
#include "config/Config.h"

namespace {

double cpuSeconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Sends `total` bytes as fast as the window allows and counts what comes back.
class Load : public rportd::ssh::ChannelHandler {
public:
    Load(rportd::client_listener::ClientSession& session, uint64_t total)
        : _session(session), _total(total), _chunk(32 * 1024, 'x') {}
    std::atomic<uint64_t> received{0};
    std::atomic<bool> done{false}, failed{false}, closed{false};

    void onOpened(rportd::ssh::Channel& channel) override {
        _channel = &channel;
        pump();
    }
    void onOpenFailed(uint32_t, std::string_view) override { failed = true; }
    void onData(rportd::ssh::Channel& channel, std::string_view bytes) override {
        received += bytes.size();
        channel.consumed(bytes.size());
        if (received >= _total && !done) {
            done = true;
            channel.close();
        }
    }
    void onWritable(rportd::ssh::Channel&) override { pump(); }
    void onClosed(rportd::ssh::Channel&) override {
        _channel = nullptr;
        closed = true;
        if (!done) failed = true;
    }

private:
    void pump() {
        while (_channel && _sent < _total) {
            size_t size = std::min<uint64_t>(_chunk.size(), _total - _sent);
            size_t took = _channel->send(std::string_view(_chunk.data(), size));
            _sent += took;
            if (took < size) return;
        }
    }
    rportd::client_listener::ClientSession& _session;
    uint64_t _total;
    uint64_t _sent = 0;
    std::string _chunk;
    rportd::ssh::Channel* _channel = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s ECHO_PORT MEGABYTES\n", argv[0]);
        return 2;
    }
    if (rport::test::interopBinDir().empty()) {
        std::fprintf(stderr,
                     "the original rport client (../shared/interop/bin/rport) is not here\n");
        return 77;
    }
    const std::string target = std::string("127.0.0.1:") + argv[1];
    const uint64_t total = std::stoull(argv[2]) * 1024 * 1024;
    rport::test::TempDir dir;
    std::vector<std::string> warnings;
    auto cfg = rportd::config::loadConfigText(
        "[server]\naddress = \"127.0.0.1:0\"\nauth = \"clientAuth1:1234\"\ndata_dir = \"" +
            dir.file("data") + "\"\n[logging]\nlog_level = \"error\"\n[plugins]\ndir = \"" +
            rport::test::buildDir() + "/lib/rportd/plugins\"\n",
        "bench.conf", warnings);
    auto runtime = std::make_unique<rportd::app::ServerRuntime>(std::move(cfg));
    runtime->prepare();
    runtime->start();

    rport::test::OriginalClient::Options options;
    options.server = "127.0.0.1:" + std::to_string(runtime->clientPort());
    options.id = "bench";
    options.flagAuth = "clientAuth1:1234";
    rport::test::OriginalClient client(dir.path(), options);
    if (!client.waitForConnected(30000)) {
        std::fprintf(stderr, "the client did not connect:\n%s\n", client.output().c_str());
        return 1;
    }
    std::unique_ptr<Load> load;
    std::atomic<bool> opened{false};
    for (int attempt = 0; attempt < 100 && !opened; ++attempt) {
        runtime->clientListener()->liveClients().post(
            "bench", [&](rportd::client_listener::ClientSession& s) {
                if (load) return;
                load = std::make_unique<Load>(s, total);
                opened = s.openRportChannel(target, *load) != nullptr;
                if (!opened) load.reset();
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!opened) {
        std::fprintf(stderr, "could not open an rport channel\n");
        return 1;
    }
    const double cpuBefore = cpuSeconds();
    const auto started = std::chrono::steady_clock::now();
    while (!load->done && !load->failed &&
           std::chrono::steady_clock::now() - started < std::chrono::minutes(10))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double cpu = cpuSeconds() - cpuBefore;
    if (!load->done) {
        std::fprintf(stderr, "the channel failed after %llu bytes\n",
                     static_cast<unsigned long long>(load->received.load()));
        return 1;
    }
    std::printf("{\"seconds\": %.3f, \"cpu_seconds\": %.3f, \"bytes_each_way\": %llu}\n", seconds,
                cpu, static_cast<unsigned long long>(total));
    for (int i = 0; i < 200 && !load->closed; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    client.stop();
    runtime->stop();
    return 0;
}
