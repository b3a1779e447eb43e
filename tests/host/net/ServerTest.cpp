// net::Server on 127.0.0.1: the connection cap with its refusal bytes and
// rate-limited log line, a graceful stop, and the open-file limit.
#include <cppunit/extensions/HelperMacros.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "LoopRig.h"
#include "net/FileLimit.h"
#include "net/Server.h"

using namespace rportd::net;
using namespace rportd::net::test;

namespace {

// A connected blocking client socket, or -1 (errno set).
int connectTo(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

// Everything until EOF (or the timeout: then `eof` is false).
std::string readToEof(int fd, bool& eof, int timeoutMs = 5000) {
    std::string out;
    eof = false;
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) return out;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buffer[4096];
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            out.append(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n == 0 || errno == ECONNRESET) {
            eof = true;
            return out;
        }
        if (errno != EINTR && errno != EAGAIN) return out;
    }
}

// roundTrip(fd, "") only reads a line.

// Echoes lines back; "finish" ends the session (a graceful close).
class LineSession : public Session {
public:
    explicit LineSession(std::atomic<int>& stopsHeard) : _stopsHeard(stopsHeard) {}
    size_t onInput(Connection& c, const char* data, size_t size) override {
        std::string_view in(data, size);
        size_t end = in.find('\n');
        if (end == std::string_view::npos) return 0;
        std::string line(in.substr(0, end));
        if (line == "finish") {
            c.send(std::string_view("bye\n"));
            c.close();
        } else {
            c.send("echo:" + line + "\n");
        }
        return end + 1;
    }
    // Stopping: this session finishes its work first (the client says "finish").
    void onShutdownRequested(Connection& c) override {
        ++_stopsHeard;
        c.send(std::string_view("stopping\n"));
    }

private:
    std::atomic<int>& _stopsHeard;
};

struct LogCapture {
    std::mutex mutex;
    std::vector<std::string> lines;
    size_t size() {
        std::lock_guard<std::mutex> lock(mutex);
        return lines.size();
    }
    std::string at(size_t i) {
        std::lock_guard<std::mutex> lock(mutex);
        return lines.at(i);
    }
};

std::string roundTrip(int fd, const std::string& line) {
    std::string out = line + "\n";
    if (!line.empty() && ::send(fd, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) return "send failed";
    std::string got;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (got.find('\n') == std::string::npos && std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buffer[256];
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        got.append(buffer, static_cast<size_t>(n));
    }
    return got;
}

}  // namespace

class ServerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServerTest);
    CPPUNIT_TEST(refusesBeyondTheCapAndLogsOncePerInterval);
    CPPUNIT_TEST(stopRefusesAtOnceAndLetsSessionsFinish);
    CPPUNIT_TEST(raisesTheOpenFileLimit);
    CPPUNIT_TEST_SUITE_END();

public:
    void refusesBeyondTheCapAndLogsOncePerInterval() {
        auto log = std::make_shared<LogCapture>();
        ServerOptions options;
        options.loops = 2;
        options.maxConnections = 2;
        options.blockingThreads = 1;
        options.refusalLogInterval = std::chrono::milliseconds(1500);
        options.log = [log](LogLevel level, const std::string& line) {
            if (level != LogLevel::Warning) return;
            std::lock_guard<std::mutex> lock(log->mutex);
            log->lines.push_back(line);
        };
        std::atomic<int> stops{0};
        Server server(options);
        ListenerSpec spec;
        spec.name = "lines";
        spec.makeSession = [&stops](Connection&) { return std::make_unique<LineSession>(stops); };
        spec.refusal = "FULL\n";
        const uint16_t port = server.listen("127.0.0.1:0", spec);
        server.start();

        int a = connectTo(port), b = connectTo(port);
        CPPUNIT_ASSERT(a >= 0 && b >= 0);
        CPPUNIT_ASSERT_EQUAL(std::string("echo:a\n"), roundTrip(a, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string("echo:b\n"), roundTrip(b, "b"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.openConnections());

        const auto first = std::chrono::steady_clock::now();
        for (int i = 0; i < 5; ++i) {
            int c = connectTo(port);
            CPPUNIT_ASSERT(c >= 0);  // the kernel accepts; the server answers and closes
            bool eof = false;
            CPPUNIT_ASSERT_EQUAL(std::string("FULL\n"), readToEof(c, eof));
            CPPUNIT_ASSERT(eof);
            ::close(c);
        }
        const bool withinInterval = std::chrono::steady_clock::now() - first < std::chrono::milliseconds(1200);
        CPPUNIT_ASSERT(eventually([&] { return log->size() >= 1; }));
        if (withinInterval) {
            CPPUNIT_ASSERT_EQUAL(size_t(1), log->size());
            CPPUNIT_ASSERT(log->at(0).find("lines: connection limit of 2 reached; refused 1 connection(s)") == 0);
        }
        // The two served connections were not disturbed.
        CPPUNIT_ASSERT_EQUAL(std::string("echo:a2\n"), roundTrip(a, "a2"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.openConnections());

        // After the interval, the next refusal logs again, counting the silent ones.
        std::this_thread::sleep_for(first + std::chrono::milliseconds(1600) - std::chrono::steady_clock::now());
        int c = connectTo(port);
        bool eof = false;
        CPPUNIT_ASSERT_EQUAL(std::string("FULL\n"), readToEof(c, eof));
        ::close(c);
        CPPUNIT_ASSERT(eventually([&] { return log->size() >= 2; }));
        if (withinInterval) {
            CPPUNIT_ASSERT_EQUAL(size_t(2), log->size());
            CPPUNIT_ASSERT(log->at(1).find("refused 5 connection(s) since the last notice") != std::string::npos);
        }

        // A slot frees up: the next connection is served.
        CPPUNIT_ASSERT_EQUAL(std::string("bye\n"), roundTrip(b, "finish"));
        ::close(b);
        CPPUNIT_ASSERT(eventually([&] { return server.openConnections() == 1; }));
        int d = connectTo(port);
        CPPUNIT_ASSERT_EQUAL(std::string("echo:d\n"), roundTrip(d, "d"));
        ::close(d);
        ::close(a);
        server.stop(std::chrono::milliseconds(500));
    }

    void stopRefusesAtOnceAndLetsSessionsFinish() {
        ServerOptions options;
        options.loops = 2;
        options.blockingThreads = 1;
        std::atomic<int> stops{0};
        Server server(options);
        ListenerSpec spec;
        spec.makeSession = [&stops](Connection&) { return std::make_unique<LineSession>(stops); };
        const uint16_t port = server.listen("127.0.0.1:0", spec);
        server.start();
        int a = connectTo(port);
        CPPUNIT_ASSERT_EQUAL(std::string("echo:x\n"), roundTrip(a, "x"));

        std::atomic<bool> stopped{false};
        std::thread stopper([&] {
            server.stop(std::chrono::milliseconds(10000));
            stopped = true;
        });
        // The session hears the request and keeps working ...
        CPPUNIT_ASSERT(eventually([&] { return stops.load() == 1; }));
        // ... while new connects are refused at once.
        CPPUNIT_ASSERT(eventually([&] {
            int fd = connectTo(port);
            if (fd < 0) return errno == ECONNREFUSED;
            ::close(fd);
            return false;
        }));
        CPPUNIT_ASSERT(!stopped.load());
        CPPUNIT_ASSERT_EQUAL(std::string("stopping\n"), roundTrip(a, ""));
        CPPUNIT_ASSERT_EQUAL(std::string("echo:y\n"), roundTrip(a, "y"));  // still served
        // Finishing lets stop() return long before its drain time.
        const auto asked = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(std::string("bye\n"), roundTrip(a, "finish"));
        CPPUNIT_ASSERT(eventually([&] { return stopped.load(); }, 5000));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - asked < std::chrono::seconds(5));
        stopper.join();
        bool eof = false;
        readToEof(a, eof, 2000);
        CPPUNIT_ASSERT(eof);
        ::close(a);
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.openConnections());
    }

    void raisesTheOpenFileLimit() {
        rlimit original{};
        CPPUNIT_ASSERT_EQUAL(0, ::getrlimit(RLIMIT_NOFILE, &original));
        // Lower the soft limit (always allowed), so there is something to raise.
        rlimit lowered = original;
        if (original.rlim_max > 64) lowered.rlim_cur = 64;
        CPPUNIT_ASSERT_EQUAL(0, ::setrlimit(RLIMIT_NOFILE, &lowered));
        FileLimit limit = raiseOpenFileLimit();
        rlimit after{};
        ::getrlimit(RLIMIT_NOFILE, &after);
        ::setrlimit(RLIMIT_NOFILE, &original);
        CPPUNIT_ASSERT_EQUAL(uint64_t(lowered.rlim_cur), limit.before);
        CPPUNIT_ASSERT_EQUAL(uint64_t(original.rlim_max), limit.hard);
        CPPUNIT_ASSERT_EQUAL(uint64_t(after.rlim_cur), limit.now);
        if (original.rlim_max != RLIM_INFINITY) {
            // A finite hard limit can always be reached by the soft one.
            CPPUNIT_ASSERT_EQUAL(limit.hard, limit.now);
        } else {
            // RLIM_INFINITY is refused beyond fs.nr_open: then nothing changes.
            CPPUNIT_ASSERT(limit.now == limit.hard || limit.now == limit.before);
        }
        // Already at the hard limit: nothing to do, nothing changes.
        FileLimit again = raiseOpenFileLimit();
        CPPUNIT_ASSERT_EQUAL(again.before, again.now);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServerTest);
