#pragma once
// A set of event loops, one thread each, that accept on shared listening
// sockets and run the connections they accept, plus the blocking-work pool.
// Every loop watches every listener (EPOLLEXCLUSIVE: the kernel wakes one
// loop per new connection), and a connection stays on the loop that accepted
// it for its whole life.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/BlockingPool.h"
#include "net/Connection.h"
#include "net/ConnectionSet.h"
#include "net/EventLoop.h"
#include "net/Log.h"
#include "net/Transport.h"

namespace rportd::net {

struct ListenerSpec {
    std::string name;  // for log lines: "API", "ACME challenge"
    // Wraps an accepted socket (owning it). Empty: a plain socket.
    std::function<std::unique_ptr<Transport>(int fd)> makeTransport;
    // The protocol a new connection starts with.
    std::function<std::unique_ptr<Session>(Connection&)> makeSession;
    // Sent, best effort, to a connection refused because the server is full.
    std::string refusal;
};

struct ServerOptions {
    size_t loops = 0;  // 0: one per core
    size_t maxConnections = 10000;
    size_t blockingThreads = 0;  // 0: defaultBlockingThreads()
    size_t maxQueuedBlockingTasks = 4096;
    FlowLimits flow;
    // Refused connections are logged once per interval, with a count.
    std::chrono::milliseconds refusalLogInterval{10000};
    LogSink log;  // thread-safe; may be empty
};

class Server {
public:
    explicit Server(ServerOptions options);
    ~Server();  // stop()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Before start(). Returns the bound port. Throws std::runtime_error
    // ("cannot listen on <hostPort>: <reason>").
    uint16_t listen(const std::string& hostPort, ListenerSpec spec);
    void start();
    // Stops accepting at once, asks every session to finish (HTTP answers what
    // is in flight and closes), aborts what is left after `drain`, then joins.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(5000));

    BlockingPool& blockingPool() { return *_pool; }
    size_t openConnections() const { return _open.load(std::memory_order_relaxed); }
    size_t loopCount() const { return _loops.size(); }
    const ServerOptions& options() const { return _options; }
    void log(LogLevel level, const std::string& message) const;

private:
    class Acceptor;
    struct Listener;
    struct LoopSlot;

    void refuse(int fd, const Listener& listener);

    ServerOptions _options;
    std::atomic<size_t> _open{0};
    std::vector<std::unique_ptr<LoopSlot>> _loops;
    std::vector<std::unique_ptr<Listener>> _listeners;
    std::unique_ptr<BlockingPool> _pool;
    std::mutex _lifecycle;
    enum class State { Created, Running, Stopped } _state = State::Created;

    std::atomic<int64_t> _lastRefusalLog{0};
    std::atomic<size_t> _refusedSinceLog{0};
};

}  // namespace rportd::net
