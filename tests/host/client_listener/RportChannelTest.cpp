// The data path of rport-behaviour §7.5 with the original Go client: rportd
// opens an "rport" channel to the client for "host:port", the client dials an
// echo server on loopback, and 100 MB go through and come back byte for byte.
// Each side takes its turn as the slow reader; flow control must hold the
// server's memory flat meanwhile. The runtime runs in this process so that
// the test can open the channel the way the tunnels of a later issue will.
#include <arpa/inet.h>
#include <cppunit/extensions/HelperMacros.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "OriginalRport.h"
#include "Sanitizers.h"
#include "TempDir.h"
#include "app/ServerRuntime.h"
#include "client_listener/ClientSession.h"
#include "config/Config.h"
#include "net/EventLoop.h"

using namespace rport::test;

namespace {

constexpr uint64_t kTotalBytes = 100ull * 1024 * 1024;

// Byte n of the stream, cheap to compute at both ends.
inline char patternAt(uint64_t n) { return static_cast<char>((n * 2654435761u) >> 13); }

long residentKiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

double cpuSeconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Echoes one connection; reads slowly while `slow` is set.
class EchoServer {
public:
    EchoServer() {
        _listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof a;
        ::bind(_listen, reinterpret_cast<sockaddr*>(&a), size);
        ::listen(_listen, 4);
        ::getsockname(_listen, reinterpret_cast<sockaddr*>(&a), &size);
        port = ntohs(a.sin_port);
        _thread = std::thread([this] { run(); });
    }
    ~EchoServer() {
        _stop = true;
        _thread.join();
        ::close(_listen);
    }
    uint16_t port = 0;
    std::atomic<bool> slow{false};
    std::atomic<uint64_t> echoed{0};

private:
    void run() {
        pollfd p{_listen, POLLIN, 0};
        while (!_stop && ::poll(&p, 1, 100) <= 0) {
        }
        if (_stop) return;
        int fd = ::accept4(_listen, nullptr, nullptr, SOCK_CLOEXEC);
        std::vector<char> buffer(64 * 1024);
        while (!_stop) {
            pollfd r{fd, POLLIN, 0};
            if (::poll(&r, 1, 100) <= 0) continue;
            ssize_t got = ::read(fd, buffer.data(), slow ? 4096 : buffer.size());
            if (got <= 0) break;
            for (ssize_t off = 0; off < got;) {
                ssize_t wrote = ::write(fd, buffer.data() + off, size_t(got - off));
                if (wrote <= 0) break;
                off += wrote;
            }
            echoed += uint64_t(got);
            if (slow) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ::close(fd);
    }
    int _listen = -1;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

// Runs on the client connection's loop: sends the pattern as fast as the
// window allows, checks what comes back, and holds the window shut while
// `slowConsumer` is set.
class PatternPipe : public rportd::ssh::ChannelHandler {
public:
    explicit PatternPipe(rportd::client_listener::ClientSession& session) : _session(session) {}

    std::atomic<bool> slowConsumer{false};
    std::atomic<uint64_t> sent{0}, received{0}, maxQueued{0}, window{0}, queued{0}, ticks{0};
    std::atomic<bool> finished{false}, failed{false}, closed{false};
    std::string failure;

    void onOpened(rportd::ssh::Channel& channel) override {
        _channel = &channel;
        pump();
        tick();
    }
    void onOpenFailed(uint32_t reason, std::string_view description) override {
        fail("open failed " + std::to_string(reason) + ": " + std::string(description));
    }
    void onData(rportd::ssh::Channel& channel, std::string_view bytes) override {
        uint64_t at = received;
        for (size_t i = 0; i < bytes.size(); ++i)
            if (bytes[i] != patternAt(at + i))
                return fail("mismatch at byte " + std::to_string(at + i));
        received += bytes.size();
        if (slowConsumer)
            _held += bytes.size();
        else
            channel.consumed(bytes.size());
        // EOF only once everything is back: the client closes the whole
        // channel when one direction ends.
        if (received == kTotalBytes) {
            finished = true;
            channel.close();
        }
    }
    void onWritable(rportd::ssh::Channel&) override { pump(); }
    void onClosed(rportd::ssh::Channel&) override {
        _channel = nullptr;
        closed = true;
        if (!finished) fail("channel closed after " + std::to_string(received) + " bytes back");
    }

private:
    void fail(const std::string& why) {
        failure = why;
        failed = true;
    }
    void pump() {
        if (!_channel) return;
        char chunk[32 * 1024];
        while (sent < kTotalBytes) {
            size_t size = std::min<uint64_t>(sizeof chunk, kTotalBytes - sent);
            for (size_t i = 0; i < size; ++i) chunk[i] = patternAt(sent + i);
            size_t took = _channel->send(std::string_view(chunk, size));
            sent += took;
            maxQueued = std::max<uint64_t>(maxQueued, _session.queuedOutput());
            if (took < size) break;
        }
    }
    // Returns held window once the slow phase ends; keeps sending.
    void tick() {
        if (!_channel || finished) return;
        window = _channel->sendWindow();
        queued = _session.queuedOutput();
        ticks++;
        if (!slowConsumer && _held > 0) {
            _channel->consumed(_held);
            _held = 0;
        }
        pump();
        _session.runAfter(std::chrono::milliseconds(20), [this] { tick(); });
    }

    rportd::client_listener::ClientSession& _session;
    rportd::ssh::Channel* _channel = nullptr;
    uint64_t _held = 0;
};

}  // namespace

class RportChannelTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RportChannelTest);
    CPPUNIT_TEST(hundredMegabytesBothWaysThroughTheOriginalClient);
    CPPUNIT_TEST(aChannelHearsWhenTheClientVanishes);
    CPPUNIT_TEST_SUITE_END();

public:
    // The runtime in process with the original client connected as "pipe".
    // Declared so that the runtime goes first: its loops must stop before
    // the handler they call is destroyed.
    struct Rig {
        TempDir dir;
        EchoServer echo;
        std::unique_ptr<PatternPipe> pipe;
        std::unique_ptr<OriginalClient> client;
        std::unique_ptr<rportd::app::ServerRuntime> runtime;
    };

    static void startRig(Rig& rig) {
        std::vector<std::string> warnings;
        auto cfg = rportd::config::loadConfigText(
            "[server]\naddress = \"127.0.0.1:0\"\nauth = \"clientAuth1:1234\"\ndata_dir = \"" +
                rig.dir.file("data") + "\"\n[plugins]\ndir = \"" + buildDir() +
                "/lib/rportd/plugins\"\n",
            "channel.conf", warnings);
        rig.runtime = std::make_unique<rportd::app::ServerRuntime>(std::move(cfg));
        rig.runtime->prepare();
        rig.runtime->start();
        OriginalClient::Options options;
        options.server = "127.0.0.1:" + std::to_string(rig.runtime->clientPort());
        options.id = "pipe";
        options.flagAuth = "clientAuth1:1234";
        rig.client = std::make_unique<OriginalClient>(rig.dir.path(), options);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            auto view = rig.runtime->clientRegistry().find("pipe");
            if (view && view->record->connected()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CPPUNIT_ASSERT_MESSAGE(tail(rig.client->output()), rig.client->waitForConnected(1000));
        std::atomic<bool> opened{false};
        std::string target = "127.0.0.1:" + std::to_string(rig.echo.port);
        bool posted = rig.runtime->clientListener()->liveClients().post(
            "pipe", [&](rportd::client_listener::ClientSession& s) {
                rig.pipe = std::make_unique<PatternPipe>(s);
                opened = s.openRportChannel(target, *rig.pipe) != nullptr;
            });
        CPPUNIT_ASSERT(posted);
        while (!rig.pipe) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        CPPUNIT_ASSERT(opened);
    }

    // The client goes away without a word (its process ends): the channel's
    // handler still hears that the channel is closed, so a tunnel can let go.
    void aChannelHearsWhenTheClientVanishes() {
        if (!originalClientAvailable()) return;
        Rig rig;
        startRig(rig);
        rig.client->stop();
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!rig.pipe->closed && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        CPPUNIT_ASSERT(rig.pipe->closed);
        rig.runtime->stop();
    }

    void hundredMegabytesBothWaysThroughTheOriginalClient() {
        if (!originalClientAvailable()) return;
        Rig rig;
        startRig(rig);
        auto& runtime = rig.runtime;
        auto& client = *rig.client;
        auto& echo = rig.echo;
        auto& pipe = rig.pipe;

        long baseline = residentKiB();
        long peak = baseline;
        double cpuBefore = cpuSeconds();
        auto started = std::chrono::steady_clock::now();
        // Phase 1: the echo server reads slowly; phase 2: we do; then full speed.
        echo.slow = true;
        auto phaseEnd = started + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < phaseEnd) {
            peak = std::max(peak, residentKiB());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        echo.slow = false;
        pipe->slowConsumer = true;
        phaseEnd = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < phaseEnd) {
            peak = std::max(peak, residentKiB());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        uint64_t receivedWhileHeld = pipe->received;
        pipe->slowConsumer = false;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
        while (!pipe->finished && !pipe->failed && std::chrono::steady_clock::now() < deadline) {
            peak = std::max(peak, residentKiB());
            if (std::getenv("RPORT_TEST_PROGRESS"))
                std::printf(
                    "ticks %llu window %llu queued %llu sent %llu received %llu echoed %llu\n",
                    (unsigned long long)pipe->ticks.load(), (unsigned long long)pipe->window.load(),
                    (unsigned long long)pipe->queued.load(), (unsigned long long)pipe->sent.load(),
                    (unsigned long long)pipe->received.load(),
                    (unsigned long long)echo.echoed.load());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        double cpu = cpuSeconds() - cpuBefore;

        CPPUNIT_ASSERT_MESSAGE(pipe->failure, !pipe->failed);
        CPPUNIT_ASSERT_MESSAGE("received " + std::to_string(pipe->received) + " of " +
                                   std::to_string(kTotalBytes) + "\n" + tail(client.output()),
                               pipe->finished);
        CPPUNIT_ASSERT_EQUAL(kTotalBytes, echo.echoed.load());
        // While we held the window, at most one window (2 MiB) more came.
        CPPUNIT_ASSERT(receivedWhileHeld < kTotalBytes);
        // Flow control: 200 MB moved, but the process grew by far less than
        // what a single unbounded buffer would have held.
        long growthKiB = peak - baseline;
        std::printf(
            "\nrport channel: 2 x %llu MB in %.1f s (%.1f MB/s each way), server CPU %.2f s (%.2f "
            "s per GB "
            "moved), RSS growth %ld KiB, largest WebSocket backlog %llu KiB\n",
            static_cast<unsigned long long>(kTotalBytes >> 20), seconds,
            double(kTotalBytes >> 20) / seconds, cpu, cpu / (2.0 * double(kTotalBytes) / 1e9),
            growthKiB, static_cast<unsigned long long>(pipe->maxQueued.load() >> 10));
        // Not under a sanitizer: ASan's quarantine keeps the freed buffers
        // of 200 MB of traffic resident (tests/support/Sanitizers.h).
        if (!kUnderSanitizer)
            CPPUNIT_ASSERT_MESSAGE(std::to_string(growthKiB) + " KiB", growthKiB < 24 * 1024);
        CPPUNIT_ASSERT(pipe->maxQueued < 8u * 1024 * 1024);

        // The handler must outlive its channel and its last tick.
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!pipe->closed && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        client.stop();
        runtime->stop();
        pipe.reset();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RportChannelTest);
