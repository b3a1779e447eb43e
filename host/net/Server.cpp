#include "net/Server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <stdexcept>

#include "net/ListenSocket.h"
#include "net/MonotonicClock.h"
#include "net/PlainTransport.h"

namespace rportd::net {

namespace {

// Connections one wake-up accepts before the loop serves its others again.
constexpr int kAcceptBatch = 32;
// Out of descriptors: the listener rests this long instead of spinning.
constexpr std::chrono::milliseconds kAcceptBackoff{100};

}  // namespace

struct Server::Listener {
    int fd = -1;
    std::string address;
    ListenerSpec spec;
};

// One listener as seen by one loop.
class Server::Acceptor final : public IoHandler {
public:
    Acceptor(Server& server, Listener& listener, EventLoop& loop, ConnectionSet& set)
        : _server(server), _listener(listener), _loop(loop), _set(set) {}

    bool watch() { return _loop.watch(_listener.fd, EPOLLIN | EPOLLEXCLUSIVE, this); }
    void unwatch() {
        if (_resting) _loop.cancel(_restTimer);
        _resting = false;
        _loop.unwatch(_listener.fd);
    }

    void onIoEvent(uint32_t) override {
        for (int i = 0; i < kAcceptBatch; ++i) {
            sockaddr_storage address{};
            socklen_t length = sizeof address;
            int fd = ::accept4(_listener.fd, reinterpret_cast<sockaddr*>(&address), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                const int error = errno;
                if (error == EINTR || error == ECONNABORTED || error == EPROTO) continue;
                if (error == EAGAIN || error == EWOULDBLOCK) return;
                if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM)
                    rest(error);
                return;
            }
            take(fd, address);
        }
    }

private:
    void take(int fd, const sockaddr_storage& address) {
        if (_server._open.load(std::memory_order_relaxed) >= _server._options.maxConnections) {
            _server.refuse(fd, _listener);
            return;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        Peer peer;
        describePeer(address, peer.address, peer.port);
        std::unique_ptr<Transport> transport;
        try {
            transport = _listener.spec.makeTransport ? _listener.spec.makeTransport(fd)
                                                     : std::make_unique<PlainTransport>(fd);
        } catch (const std::exception& e) {
            ::close(fd);
            _server.log(LogLevel::Error,
                        _listener.spec.name + ": cannot take a connection: " + e.what());
            return;
        }
        if (!transport) {
            ::close(fd);
            return;
        }
        Connection* connection =
            _set.create(std::move(transport), std::move(peer), _server._options.flow);
        std::unique_ptr<Session> session;
        try {
            session = _listener.spec.makeSession(*connection);
        } catch (const std::exception& e) {
            _server.log(LogLevel::Error,
                        _listener.spec.name + ": cannot start a session: " + e.what());
        }
        if (!session) {
            connection->abort();
            return;
        }
        connection->start(std::move(session));
    }

    // The pending clients stay in the backlog; accepting again at once would
    // find the same shortage and spin.
    void rest(int error) {
        _server.log(LogLevel::Error, _listener.spec.name + ": accept on " + _listener.address +
                                         ": " + std::strerror(error) + "; pausing accepts for " +
                                         std::to_string(kAcceptBackoff.count()) + " ms");
        _loop.unwatch(_listener.fd);
        _resting = true;
        _restTimer = _loop.runAfter(kAcceptBackoff, [this] {
            _resting = false;
            watch();
        });
    }

    Server& _server;
    Listener& _listener;
    EventLoop& _loop;
    ConnectionSet& _set;
    bool _resting = false;
    EventLoop::TimerId _restTimer = 0;
};

struct Server::LoopSlot {
    explicit LoopSlot(std::atomic<size_t>& open) : set(loop, open) {}
    EventLoop loop;
    ConnectionSet set;
    std::vector<std::unique_ptr<Acceptor>> acceptors;
    std::thread thread;
};

Server::Server(ServerOptions options) : _options(std::move(options)) {
    if (_options.loops == 0) {
        unsigned cores = std::thread::hardware_concurrency();
        _options.loops = cores ? cores : 1;
    }
    _options.maxConnections = std::max<size_t>(_options.maxConnections, 1);
    for (size_t i = 0; i < _options.loops; ++i) {
        _loops.push_back(std::make_unique<LoopSlot>(_open));
        _loops.back()->set.setLog(&_options.log);
    }
    _pool = std::make_unique<BlockingPool>(
        _options.blockingThreads ? _options.blockingThreads : defaultBlockingThreads(),
        _options.maxQueuedBlockingTasks);
}

Server::~Server() {
    stop(std::chrono::milliseconds(0));
    for (auto& listener : _listeners) ::close(listener->fd);
}

uint16_t Server::listen(const std::string& hostPort, ListenerSpec spec) {
    std::lock_guard<std::mutex> lock(_lifecycle);
    if (_state != State::Created)
        throw std::logic_error("net::Server::listen must be called before start()");
    ListeningSocket socket = openListeningSocket(hostPort);
    auto listener = std::make_unique<Listener>();
    listener->fd = socket.fd;
    listener->address = hostPort;
    listener->spec = std::move(spec);
    if (listener->spec.name.empty()) listener->spec.name = hostPort;
    _listeners.push_back(std::move(listener));
    return socket.port;
}

void Server::start() {
    std::lock_guard<std::mutex> lock(_lifecycle);
    if (_state != State::Created)
        throw std::logic_error("net::Server::start called twice or after stop()");
    for (auto& slot : _loops) {
        for (auto& listener : _listeners) {
            auto acceptor = std::make_unique<Acceptor>(*this, *listener, slot->loop, slot->set);
            if (!acceptor->watch())
                throw std::runtime_error("cannot listen on " + listener->address +
                                         ": epoll_ctl: " + std::strerror(errno));
            slot->acceptors.push_back(std::move(acceptor));
        }
    }
    _state = State::Running;
    for (auto& slot : _loops) slot->thread = std::thread([&loop = slot->loop] { loop.run(); });
}

void Server::stop(std::chrono::milliseconds drain) {
    std::lock_guard<std::mutex> lock(_lifecycle);
    if (_state == State::Stopped) return;
    const bool wasRunning = _state == State::Running;
    _state = State::Stopped;
    if (wasRunning) {
        const auto deadline = std::chrono::steady_clock::now() + drain;
        // Every loop lets go of the listeners first; then shutdown() makes
        // the kernel refuse new connects at once (the descriptors stay open
        // until the destructor, so no loop can hit a reused one).
        std::mutex doneMutex;
        std::condition_variable doneSignal;
        size_t done = 0;
        for (auto& slot : _loops) {
            LoopSlot* s = slot.get();
            s->loop.post([s, &doneMutex, &doneSignal, &done] {
                for (auto& acceptor : s->acceptors) acceptor->unwatch();
                {
                    std::lock_guard<std::mutex> doneLock(doneMutex);
                    ++done;
                }
                doneSignal.notify_all();
            });
        }
        {
            std::unique_lock<std::mutex> doneLock(doneMutex);
            doneSignal.wait(doneLock, [&] { return done == _loops.size(); });
        }
        for (auto& listener : _listeners) ::shutdown(listener->fd, SHUT_RDWR);
        for (auto& slot : _loops) {
            LoopSlot* s = slot.get();
            s->loop.post([s] { s->set.requestShutdown(); });
        }
        while (_open.load() > 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        for (auto& slot : _loops) {
            LoopSlot* s = slot.get();
            s->loop.post([s] {
                s->set.abortAll();
                s->loop.stop();
            });
        }
        for (auto& slot : _loops) {
            if (slot->thread.joinable()) slot->thread.join();
        }
    }
    // Answers still computed by the pool are posted to stopped loops and dropped.
    _pool->stop();
    for (auto& slot : _loops) slot->acceptors.clear();
}

void Server::refuse(int fd, const Listener& listener) {
    if (!listener.spec.refusal.empty()) [[maybe_unused]]
        ssize_t n = ::send(fd, listener.spec.refusal.data(), listener.spec.refusal.size(),
                           MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
    _refusedSinceLog.fetch_add(1, std::memory_order_relaxed);
    const int64_t now = monotonicMillis();
    int64_t last = _lastRefusalLog.load(std::memory_order_relaxed);
    if (last != 0 && now - last < _options.refusalLogInterval.count()) return;
    if (!_lastRefusalLog.compare_exchange_strong(last, now)) return;  // another loop logs it
    const size_t refused = _refusedSinceLog.exchange(0);
    log(LogLevel::Warning, listener.spec.name + ": connection limit of " +
                               std::to_string(_options.maxConnections) + " reached; refused " +
                               std::to_string(refused) + " connection(s) since the last notice");
}

void Server::log(LogLevel level, const std::string& message) const {
    if (!_options.log) return;
    try {
        _options.log(level, message);
    } catch (...) {
        // A failing logger must not take a loop down.
    }
}

}  // namespace rportd::net
