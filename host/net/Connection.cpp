#include "net/Connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>

#include "net/ConnectionSet.h"

namespace rportd::net {

namespace {

// Small writes are appended to the last queued chunk up to this size, so
// several pipelined responses leave in one send.
constexpr size_t kCoalesceBytes = 16 * 1024;

// Lingering reads at most this much before giving up on a polite close.
constexpr size_t kLingerBytes = 256 * 1024;
constexpr int64_t kLingerMillis = 1000;

constexpr uint32_t kEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

}  // namespace

void Session::onPeerClosed(Connection& connection) { connection.close(); }
void Session::onDeadline(Connection& connection) { connection.abort(); }
void Session::onShutdownRequested(Connection& connection) { connection.close(); }

Connection::Connection(EventLoop& loop, ConnectionSet& set, uint64_t id,
                       std::unique_ptr<Transport> transport, Peer peer, const FlowLimits& limits)
    : _loop(loop),
      _set(set),
      _id(id),
      _transport(std::move(transport)),
      _peer(std::move(peer)),
      _limits(limits) {}

Connection::~Connection() {
    if (_timer) _loop.cancel(_timer);
    if (_registered) _loop.unwatch(_transport->fd());
}

Connection::Guard::~Guard() {
    Connection& c = connection;
    if (--c._depth > 0) return;
    // The outermost guard: work that callbacks asked for is done now, once.
    if (c._state != State::Dead) {
        ++c._depth;
        c.drive();
        --c._depth;
    }
    c._retiredSession.reset();
    if (c._state == State::Dead) c.destroyNow();
}

void Connection::start(std::unique_ptr<Session> session) {
    Guard guard(*this);
    _session = std::move(session);
    if (!_loop.watch(_transport->fd(), kEvents, this)) return die();
    _registered = true;
    // The handshake must finish within the close timeout's sibling: a peer
    // that connects and says nothing is dropped by the session's deadline,
    // set in onOpen; until then this one applies.
    _closeDeadline = _loop.now() + _limits.closeTimeoutMillis;
    armTimer();
}

void Connection::onIoEvent(uint32_t events) {
    Guard guard(*this);
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) _mayRead = true;
    // The end of the stream is reported once; a short read must not hide it.
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) _peerHungUp = true;
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) _mayWrite = true;
}

// Makes all the progress the socket allows: handshake, output, input, close.
void Connection::drive() {
    for (int round = 0; round < 64 && _state != State::Dead; ++round) {
        if (_state == State::Handshaking) {
            if (!handshake()) return;
            continue;
        }
        bool progress = false;
        if (_queued > 0 && (_writeNeedsReadable ? _mayRead : _mayWrite)) progress |= flush();
        if (_state == State::Dead) return;
        if (_state == State::Open) {
            progress |= readAndDeliver();
        } else {
            continueClose();
            return;
        }
        if (!progress) return;
    }
    // A peer that keeps us busy this long yields to the others; a posted
    // nudge continues where we stopped.
    if (_state != State::Dead) {
        ConnectionRef self(*this);
        self.post([](Connection&) {});
    }
}

bool Connection::handshake() {
    // Only the readiness the last attempt asked for (Transport.h: wait for
    // exactly what is asked).
    if (!(_handshakeNeedsWritable ? _mayWrite : _mayRead)) return false;
    IoResult result = _transport->handshake();
    switch (result.status) {
        case IoStatus::Done:
            _state = State::Open;
            _closeDeadline = 0;
            if (const std::string exchange = _transport->handshakeOnlyExchange();
                !exchange.empty()) {
                // Expected traffic, not a failure: debug only, and the
                // session never hears of a connection it must not speak on.
                _set.log(LogLevel::Debug, "handshake with " + _peer.address + ":" +
                                              std::to_string(_peer.port) + " was " + exchange +
                                              "; closing");
                close();
                return _state != State::Dead;
            }
            armTimer();
            _session->onOpen(*this);
            return _state != State::Dead;
        case IoStatus::WantRead:
            _handshakeNeedsWritable = false;
            _mayRead = false;
            return false;
        case IoStatus::WantWrite:
            _handshakeNeedsWritable = true;
            _mayWrite = false;
            return false;
        case IoStatus::Closed:
        case IoStatus::Failed:
            break;
    }
    // Debug only: anyone on the network can fail a handshake on purpose.
    // The reason comes from OpenSSL, the address from accept(): nothing the
    // peer chose reaches the line.
    const std::string why = _transport->handshakeFailure();
    _set.log(LogLevel::Debug, "handshake with " + _peer.address + ":" + std::to_string(_peer.port) +
                                  " failed" + (why.empty() ? std::string() : ": " + why));
    std::string_view early = _transport->earlyResponse();
    if (!early.empty()) {
        // Best effort, straight to the socket: a plain-HTTP client on the TLS port.
        [[maybe_unused]] ssize_t n =
            ::send(_transport->fd(), early.data(), early.size(), MSG_NOSIGNAL);
        ::shutdown(_transport->fd(), SHUT_WR);
    }
    die();
    return false;
}

bool Connection::readAndDeliver() {
    bool progress = false;
    while (_state == State::Open && !_inputPaused && !_backPressure) {
        if (_offerUnused) {
            // Input a paused or replaced session left: offered before reading on.
            _offerUnused = false;
            if (!_unusedInput.empty()) {
                std::string held;
                held.swap(_unusedInput);
                deliver(held.data(), held.size());
                progress = true;
                continue;
            }
        }
        if (_peerClosed) break;
        if (!(_readNeedsWritable ? _mayWrite : _mayRead)) break;
        char* buffer = _loop.readBuffer();
        IoResult result = _transport->read(buffer, EventLoop::kReadBufferSize);
        _readNeedsWritable = false;
        if (result.status == IoStatus::Done) {
            progress = true;
            if (result.bytes < EventLoop::kReadBufferSize && _transport->shortReadMeansDrained() &&
                !_peerHungUp)
                _mayRead = false;
            if (_unusedInput.empty()) {
                deliver(buffer, result.bytes);
            } else {
                // The session is waiting for more than it has: old and new bytes together.
                _unusedInput.append(buffer, result.bytes);
                std::string held;
                held.swap(_unusedInput);
                deliver(held.data(), held.size());
            }
            // One read per call: drive() interleaves output with input and
            // yields to the loop after a bounded number of rounds. Reading on
            // until WantRead here would let a peer that sends fast enough
            // hold the loop thread indefinitely (_mayRead stays true, so the
            // next round reads on).
            break;
        }
        if (result.status == IoStatus::WantRead) {
            _mayRead = false;
            break;
        }
        if (result.status == IoStatus::WantWrite) {
            _readNeedsWritable = true;
            _mayWrite = false;
            break;
        }
        if (result.status == IoStatus::Closed) {
            _peerClosed = true;
            _unusedInput.clear();
            _session->onPeerClosed(*this);
            progress = true;
            break;
        }
        die();
        return true;
    }
    return progress;
}

// Offers bytes to the session (and to its successor after an upgrade); keeps
// what is left over in _unusedInput.
void Connection::deliver(const char* data, size_t size) {
    while (size > 0 && _state == State::Open && !_inputPaused) {
        Session* session = _session.get();
        size_t used = std::min(session->onInput(*this, data, size), size);
        data += used;
        size -= used;
        if (_session.get() != session) continue;  // upgraded: the rest belongs to the new session
        if (used == 0) break;
    }
    if (size == 0 || _state != State::Open) return;
    if (size > _limits.maxUnusedInput) return abort();
    _unusedInput.assign(data, size);
    if (_unusedInput.capacity() > 2 * size + 64) _unusedInput.shrink_to_fit();
}

void Connection::send(std::string_view bytes) {
    if (bytes.empty() || _state == State::Dead) return;
    // Chunks in _output have not been started (the one being written is _front).
    const bool canAppend =
        _outputHead < _output.size() && _output.back().size() + bytes.size() <= kCoalesceBytes;
    if (canAppend) {
        _output.back().append(bytes.data(), bytes.size());
    } else {
        _output.emplace_back(bytes.data(), bytes.size());
    }
    _queued += bytes.size();
    if (_queued > _limits.highWater) _backPressure = true;
}

void Connection::send(std::string&& bytes) {
    if (bytes.empty() || _state == State::Dead) return;
    if (bytes.size() <= kCoalesceBytes / 4) return send(std::string_view(bytes));
    _queued += bytes.size();
    _output.push_back(std::move(bytes));
    if (_queued > _limits.highWater) _backPressure = true;
}

// Writes queued output until done or the socket is full. True on progress.
bool Connection::flush() {
    bool progress = false;
    for (;;) {
        if (_frontOffset == _front.size()) {
            if (_outputHead == _output.size()) break;
            // The next chunk becomes the front before its first write; from
            // now on it stays where it is until written completely.
            _front.swap(_output[_outputHead]);
            std::string().swap(_output[_outputHead]);
            ++_outputHead;
            _frontOffset = 0;
            continue;
        }
        IoResult result =
            _transport->write(_front.data() + _frontOffset, _front.size() - _frontOffset);
        _writeNeedsReadable = false;
        if (result.status == IoStatus::Done) {
            progress = true;
            _stallDeadline = 0;
            _frontOffset += result.bytes;
            _queued -= result.bytes;
            continue;
        }
        if (result.status == IoStatus::WantWrite) {
            _mayWrite = false;
            if (_writeStallMillis && !_stallDeadline) {
                _stallDeadline = _loop.now() + _writeStallMillis;
                armTimer();
            }
            break;
        }
        if (result.status == IoStatus::WantRead) {
            _writeNeedsReadable = true;
            _mayRead = false;
            break;
        }
        die();
        return true;
    }
    if (_queued == 0) {
        _stallDeadline = 0;
        // An idle connection keeps no output memory.
        std::string().swap(_front);
        _frontOffset = 0;
        std::vector<std::string>().swap(_output);
        _outputHead = 0;
    } else if (_outputHead > 16 && _outputHead * 2 > _output.size()) {
        // Only chunks not started yet move here.
        _output.erase(_output.begin(), _output.begin() + static_cast<std::ptrdiff_t>(_outputHead));
        _outputHead = 0;
    }
    if (_backPressure && _queued <= _limits.lowWater) {
        _backPressure = false;
        if (_state == State::Open && _session) _session->onOutputDrained(*this);
    }
    return progress;
}

void Connection::pauseInput() { _inputPaused = true; }

void Connection::resumeInput() {
    if (!_inputPaused) return;
    _inputPaused = false;
    _offerUnused = true;
    if (_depth == 0) {
        Guard guard(*this);  // drive() offers the held input and reads on
    }
}

void Connection::setDeadline(int64_t atMillis) {
    _deadline = atMillis;
    armTimer();
}

// One loop timer per connection at most. Moving a deadline later costs
// nothing now: the timer fires at the old time and re-arms for the new one.
void Connection::armTimer() {
    int64_t wanted = _closeDeadline;
    if (_deadline && (!wanted || _deadline < wanted)) wanted = _deadline;
    if (_stallDeadline && (!wanted || _stallDeadline < wanted)) wanted = _stallDeadline;
    if (!wanted) return;
    if (_timer && _timerAt <= wanted) return;
    if (_timer) _loop.cancel(_timer);
    _timerAt = wanted;
    _timer = _loop.runAt(wanted, [this] { onDeadlineTimer(); });
}

void Connection::onDeadlineTimer() {
    _timer = 0;
    _timerAt = 0;
    Guard guard(*this);
    const int64_t now = _loop.now();
    if (_closeDeadline && _closeDeadline <= now) return die();  // handshake or close took too long
    if (_stallDeadline && _stallDeadline <= now) return die();  // the peer stopped reading
    if (_deadline && _deadline <= now && _state == State::Open) {
        _deadline = 0;
        _session->onDeadline(*this);
        if (_state == State::Dead) return;
    }
    armTimer();
}

void Connection::close(CloseMode mode) {
    if (closing() || _state == State::Dead) return;
    if (_state == State::Handshaking) return die();
    _closeMode = mode;
    _state = State::Flushing;
    _unusedInput.clear();
    _closeDeadline = _loop.now() + _limits.closeTimeoutMillis;
    armTimer();
}

void Connection::abort() { die(); }

void Connection::replaceSession(std::unique_ptr<Session> session) {
    _retiredSession = std::move(_session);
    _session = std::move(session);
    _offerUnused = true;
    if (_state == State::Open) _session->onOpen(*this);
}

// The close sequence: flush, shut our direction, optionally linger, die.
void Connection::continueClose() {
    if (_state == State::Flushing) {
        if (_queued > 0) return;  // drive() flushes on writability
        _state = State::ShuttingDown;
    }
    if (_state == State::ShuttingDown) {
        if (!(_shutdownNeedsReadable ? _mayRead : _mayWrite)) return;
        IoResult result = _transport->shutdownWrite();
        if (result.status == IoStatus::WantWrite) {
            _shutdownNeedsReadable = false;
            _mayWrite = false;
            return;
        }
        if (result.status == IoStatus::WantRead) {
            _shutdownNeedsReadable = true;
            _mayRead = false;
            return;
        }
        if (result.status != IoStatus::Done || _closeMode == CloseMode::Graceful || _peerClosed)
            return die();
        _state = State::Lingering;
        _lingerBudget = kLingerBytes;
        _closeDeadline = std::min(_closeDeadline, _loop.now() + kLingerMillis);
        armTimer();
    }
    if (_state == State::Lingering) discardInput();
}

void Connection::discardInput() {
    while (_mayRead) {
        IoResult result = _transport->read(_loop.readBuffer(), EventLoop::kReadBufferSize);
        if (result.status == IoStatus::WantRead) {
            _mayRead = false;
            return;
        }
        if (result.status != IoStatus::Done || result.bytes >= _lingerBudget) return die();
        _lingerBudget -= result.bytes;
    }
}

void Connection::die() {
    if (_state == State::Dead) return;
    _state = State::Dead;
    dropQueuedOutput();
    _unusedInput.clear();
    if (_session) _session->onClosed(*this);
    if (_depth == 0) destroyNow();  // otherwise the outermost guard does it
}

void Connection::dropQueuedOutput() {
    std::string().swap(_front);
    _frontOffset = 0;
    std::vector<std::string>().swap(_output);
    _outputHead = 0;
    _queued = 0;
}

void Connection::destroyNow() {
    _set.remove(this);  // deletes this
}

}  // namespace rportd::net
