// HttpServer: how the pieces fit.
//
// Threads. `threads` workers block in epoll_wait(maxevents = 1) on one shared
// epoll instance. Every connection is registered with EPOLLONESHOT, so an
// event hands the connection to exactly one worker, which reads, parses, runs
// the handler inline, writes and re-arms it (Connection.cpp). A handler that
// blocks occupies only its own worker. Listening sockets are in the same
// epoll, also one-shot: one worker at a time accepts until EAGAIN, then
// re-arms. A sweeper thread expires connections past their deadline.
//
// Ownership. Only the worker holding a connection's event reads, writes or
// closes it. Other threads never touch its buffers: they atomically switch it
// from "waiting" to "expired" and shutdown() the socket, which makes epoll
// deliver it to a worker that closes it (ConnectionRegistry.h says why that
// shutdown cannot hit a reused fd).
//
// Stopping. stop() sets the stopping flag, refuses new connections at once
// (the listeners are shut down and leave epoll), expires idle connections,
// and waits for the registry to empty: connections in a handler close after
// their response. At the drain deadline what is left is interrupted; then the
// eventfd wakes every worker to exit, and the threads are joined.
#include "http/HttpServer.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/Connection.h"
#include "http/ConnectionContext.h"
#include "http/ConnectionRegistry.h"
#include "net/ListenSocket.h"
#include "net/MonotonicClock.h"
#include "net/PlainTransport.h"
#include "http/Poller.h"

namespace rportd::http {

using namespace rportd::net;

namespace {

// How many connections one listener event accepts before re-arming, so that
// a burst of connects cannot keep one worker from its other work forever.
constexpr int kAcceptBatch = 64;

struct Listener final : PollTarget {
    Listener(int socket, std::string text) : PollTarget(Kind::Listener), fd(socket), address(std::move(text)) {}
    int fd;
    std::string address;
};

// The server whose worker the current thread is, so stop() can tell it is
// being called from a handler (it would wait for itself forever).
thread_local const void* currentWorkerOf = nullptr;

HttpServerOptions normalized(HttpServerOptions options) {
    options.threads = std::max(options.threads, 1);
    options.maxConnections = std::max<size_t>(options.maxConnections, 1);
    return options;
}

ParserLimits limitsFrom(const HttpServerOptions& options) {
    ParserLimits limits;
    limits.maxHeaderBytes = options.maxHeaderBytes;
    limits.maxBodyBytes = options.maxBodyBytes;
    return limits;
}

}  // namespace

class HttpServer::Impl {
public:
    Impl(HttpServerOptions options, HttpHandler handler)
        : _options(normalized(std::move(options))),
          _handler(std::move(handler)),
          _registry(_options.maxConnections),
          _context{_options, _handler, limitsFrom(_options), _poller, _registry} {}

    ~Impl() { stop(std::chrono::milliseconds(5000)); }

    uint16_t listen(const std::string& hostPort);
    void start();
    void stop(std::chrono::milliseconds drain);

private:
    enum class State { Created, Running, Stopped };

    void runWorker();
    void acceptFrom(Listener& listener);
    Connection* newConnection(int fd, const sockaddr_storage& peer);
    void runSweeper(std::chrono::milliseconds interval);
    std::chrono::milliseconds sweepInterval() const;
    void closeListeners();
    bool onWorkerThread() const;
    void log(const std::string& message) const;

    const HttpServerOptions _options;
    const HttpHandler _handler;
    Poller _poller;
    ConnectionRegistry _registry;
    ConnectionContext _context;
    std::vector<std::unique_ptr<Listener>> _listeners;
    std::vector<std::thread> _workers;
    std::thread _sweeper;
    std::mutex _sweepMutex;
    std::condition_variable _sweepWake;
    bool _sweepStop = false;
    std::mutex _lifecycle;  // listen/start/stop run one at a time
    State _state = State::Created;
};

uint16_t HttpServer::Impl::listen(const std::string& hostPort) {
    std::lock_guard<std::mutex> lock(_lifecycle);
    if (_state != State::Created) throw std::logic_error("HttpServer::listen must be called before start()");
    ListeningSocket socket = openListeningSocket(hostPort);
    _listeners.push_back(std::make_unique<Listener>(socket.fd, hostPort));
    return socket.port;
}

void HttpServer::Impl::start() {
    std::lock_guard<std::mutex> lock(_lifecycle);
    if (_state != State::Created) throw std::logic_error("HttpServer::start called twice or after stop()");
    for (auto& listener : _listeners) {
        if (!_poller.add(listener->fd, EPOLLIN | EPOLLONESHOT, listener.get())) {
            throw std::runtime_error("cannot listen on " + listener->address + ": epoll_ctl: " +
                                     std::strerror(errno));
        }
    }
    // From here on stop() has threads to join, even if creating one fails below.
    _state = State::Running;
    _sweeper = std::thread([this, interval = sweepInterval()] { runSweeper(interval); });
    for (int i = 0; i < _options.threads; ++i) _workers.emplace_back([this] { runWorker(); });
}

void HttpServer::Impl::stop(std::chrono::milliseconds drain) {
    if (onWorkerThread()) throw std::logic_error("HttpServer::stop called from a handler");
    std::lock_guard<std::mutex> lock(_lifecycle);
    if (_state == State::Stopped) return;
    if (_state == State::Created) {
        _state = State::Stopped;
        closeListeners();
        return;
    }
    _state = State::Stopped;
    const auto deadline = std::chrono::steady_clock::now() + drain;

    _context.stopping.store(true);
    _registry.refuseNew();
    // shutdown() on a listening socket makes the kernel refuse further
    // connects at once; the fd itself stays open until the workers are gone,
    // so a worker still inside accept4() cannot hit a reused descriptor.
    for (auto& listener : _listeners) {
        ::shutdown(listener->fd, SHUT_RDWR);
        _poller.remove(listener->fd);
    }
    _registry.expireWaitingForInput();
    if (!_registry.waitUntilEmpty(deadline)) _registry.interruptAll();

    _poller.wakeAll();
    for (auto& worker : _workers) worker.join();
    _workers.clear();
    {
        std::lock_guard<std::mutex> sweepLock(_sweepMutex);
        _sweepStop = true;
    }
    _sweepWake.notify_all();
    if (_sweeper.joinable()) _sweeper.join();
    // Expired or interrupted connections whose last event no worker picked up.
    for (Connection* connection : _registry.takeAll()) delete connection;
    closeListeners();
}

void HttpServer::Impl::runWorker() {
    currentWorkerOf = this;
    ReadBuffer buffer;
    for (;;) {
        PollTarget* target = _poller.wait();
        // Read now: a connection may be deleted by the time onEvent returns.
        const PollTarget::Kind kind = target->kind;
        if (kind == PollTarget::Kind::Wake) return;
        try {
            if (kind == PollTarget::Kind::Listener) {
                acceptFrom(static_cast<Listener&>(*target));
            } else {
                static_cast<Connection*>(target)->onEvent(buffer);
            }
        } catch (const std::exception& e) {
            // Nothing above is expected to throw; a worker must not die of it anyway.
            log(std::string("http: worker: ") + e.what());
        }
        if (kind == PollTarget::Kind::Listener && !_context.stopping.load()) {
            // One-shot like connections: re-armed only now, so one worker
            // accepts at a time. Fails harmlessly (ENOENT) if stop() has just
            // taken the listener out of epoll.
            auto& listener = static_cast<Listener&>(*target);
            _poller.rearm(listener.fd, EPOLLIN | EPOLLONESHOT, &listener);
        }
    }
}

void HttpServer::Impl::acceptFrom(Listener& listener) {
    for (int i = 0; i < kAcceptBatch; ++i) {
        sockaddr_storage peer{};
        socklen_t peerLength = sizeof peer;
        // The peer address comes with the accept, once per connection.
        int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&peer), &peerLength,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            int error = errno;
            if (error == EINTR || error == ECONNABORTED || error == EPROTO) continue;  // that client left
            if (error == EAGAIN || error == EWOULDBLOCK) break;
            if (_context.stopping.load()) break;  // stop() shut the listener down
            log("http: accept on " + listener.address + ": " + std::strerror(error));
            if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
                // The pending clients stay in the backlog; re-arming at once
                // would report them again immediately and spin.
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            break;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // responses are single small writes
        Connection* connection = nullptr;
        try {
            connection = newConnection(fd, peer);
        } catch (const std::exception& e) {
            log(std::string("http: cannot take a connection: ") + e.what());  // out of memory; fd closed
            continue;
        }
        if (!_registry.add(connection)) {
            delete connection;  // over maxConnections, or stopping: closing it is the refusal
            continue;
        }
        connection->start();
    }
}

// Takes ownership of fd: it is closed also when this throws.
Connection* HttpServer::Impl::newConnection(int fd, const sockaddr_storage& peer) {
    std::unique_ptr<Transport> transport;
    try {
        transport = std::make_unique<PlainTransport>(fd);
    } catch (...) {
        ::close(fd);
        throw;
    }
    std::string host;
    uint16_t port = 0;
    describePeer(peer, host, port);
    return new Connection(_context, std::move(transport), std::move(host), port);
}

std::chrono::milliseconds HttpServer::Impl::sweepInterval() const {
    // A quarter of the shortest timeout, so a deadline is enforced at most
    // 25 % late; never busier than every 10 ms, never lazier than 250 ms.
    auto shortest = std::min(_options.keepAliveTimeout, _options.readTimeout);
    return std::clamp(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
}

void HttpServer::Impl::runSweeper(std::chrono::milliseconds interval) {
    std::unique_lock<std::mutex> lock(_sweepMutex);
    while (!_sweepStop) {
        _sweepWake.wait_for(lock, interval, [this] { return _sweepStop; });
        if (_sweepStop) break;
        lock.unlock();
        _registry.expireOverdue(monotonicMillis());
        lock.lock();
    }
}

void HttpServer::Impl::closeListeners() {
    for (auto& listener : _listeners) ::close(listener->fd);
    _listeners.clear();
}

bool HttpServer::Impl::onWorkerThread() const { return currentWorkerOf == this; }

void HttpServer::Impl::log(const std::string& message) const {
    if (!_options.errorLog) return;
    try {
        _options.errorLog(message);
    } catch (...) {
        // A failing logger must not stop the accept loop.
    }
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : _impl(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() = default;  // Impl's destructor stops

uint16_t HttpServer::listen(const std::string& hostPort) { return _impl->listen(hostPort); }

void HttpServer::start() { _impl->start(); }

void HttpServer::stop(std::chrono::milliseconds drain) { _impl->stop(drain); }

}  // namespace rportd::http
