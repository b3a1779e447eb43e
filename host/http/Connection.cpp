#include "http/Connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "http/ConnectionRegistry.h"
#include "net/MonotonicClock.h"
#include "http/ResponseWriter.h"

namespace rportd::http {

using namespace rportd::net;

namespace {

// After answering a request whose body we did not read (too large, or a
// protocol error), closing at once would make the kernel reset the connection
// because of the unread bytes, and a reset can destroy our answer before the
// client reads it. So we stop sending, then read and discard for a while.
constexpr int64_t kLingerMillis = 1000;
constexpr size_t kLingerBytes = 256 * 1024;

// A one-off big response should not pin its buffer for the connection's life.
constexpr size_t kKeptOutputCapacity = 64 * 1024;

// Several pipelined responses go out in one send, up to this much.
constexpr size_t kOutputBatchBytes = 64 * 1024;

}  // namespace

Connection::Connection(ConnectionContext& context, std::unique_ptr<Transport> transport, std::string peerAddress,
                       uint16_t peerPort)
    : PollTarget(Kind::Connection), _context(context), _transport(std::move(transport)), _parser(context.limits) {
    // Set once: the parser's reset() between requests keeps them.
    _parser.request().peerAddress = std::move(peerAddress);
    _parser.request().peerPort = peerPort;
}

void Connection::start() {
    _requestStartMillis = monotonicMillis();
    wait(Phase::WaitingRead, EPOLLIN, true);
}

void Connection::onEvent(ReadBuffer& buffer) {
    uint64_t previous = _wait.exchange(packWait(Phase::Busy, 0));
    if (phaseOf(previous) == Phase::Expired) {
        destroy();
        return;
    }
    _mayHaveInput = true;
    if (!_pending.empty()) {
        _input = _pending.data();
        _inputSize = _pending.size();
        _inputInPending = true;
    }
    if (_lingering) {
        discardUntilClosed(buffer);
        return;
    }
    try {
        if (!_handshakeDone) {
            IoResult result = _transport->handshake();
            if (result.status == IoStatus::WantRead) return wait(Phase::WaitingRead, EPOLLIN);
            if (result.status == IoStatus::WantWrite) return wait(Phase::WaitingWrite, EPOLLOUT);
            if (result.status != IoStatus::Done) return destroy();
            _handshakeDone = true;
        }
        serve(buffer);
    } catch (const std::exception& e) {
        // Only allocation can fail here (handler exceptions are caught in
        // respond()), and always before the connection was handed back to
        // epoll or deleted, so it is still ours to drop.
        log(std::string("http: dropping a connection: ") + e.what());
        destroy();
    }
}

// The connection's main loop: write what is pending, then parse what was read,
// then read more, until something has to wait for the socket.
void Connection::serve(ReadBuffer& buffer) {
    for (;;) {
        const bool outputPending = _outputSent < _output.size();
        // Pipelined requests still in the input are answered first, so that
        // their responses share one send.
        if (outputPending && (_inputSize == 0 || _closeAfterWrite || _output.size() >= kOutputBatchBytes)) {
            IoStatus status = flush();
            if (status == IoStatus::WantWrite) return wait(Phase::WaitingWrite, EPOLLOUT);
            if (status == IoStatus::WantRead) return wait(Phase::WaitingWrite, EPOLLIN);
            if (status != IoStatus::Done) return destroy();
        }
        if (_closeAfterWrite) return finishAfterLastResponse(buffer);
        if (_inputSize == 0 && !readInput(buffer)) return;

        size_t used = 0;
        ParseStatus status = _parser.parse(_input, _inputSize, used);
        _input += used;
        _inputSize -= used;
        switch (status) {
            case ParseStatus::NeedMore:
                break;
            case ParseStatus::ExpectContinue:
                // A client that sent its body anyway does not need the go-ahead.
                if (_inputSize == 0) appendContinue(_output);
                break;
            case ParseStatus::Complete:
                respond();
                break;
            case ParseStatus::Failed:
                answerProtocolError();
                break;
        }
    }
}

bool Connection::readInput(ReadBuffer& buffer) {
    if (!_mayHaveInput) {
        wait(Phase::WaitingRead, EPOLLIN);
        return false;
    }
    _pending.clear();
    _inputInPending = false;
    IoResult result = _transport->read(buffer.data.get(), ReadBuffer::kSize);
    switch (result.status) {
        case IoStatus::Done:
            if (!_parser.started()) _requestStartMillis = monotonicMillis();
            // A short read drained the socket: wait in epoll rather than make
            // a read that can only say EAGAIN.
            _mayHaveInput = result.bytes == ReadBuffer::kSize || !_transport->shortReadMeansDrained();
            _input = buffer.data.get();
            _inputSize = result.bytes;
            return true;
        case IoStatus::WantRead:
            wait(Phase::WaitingRead, EPOLLIN);
            return false;
        case IoStatus::WantWrite:
            wait(Phase::WaitingRead, EPOLLOUT);
            return false;
        case IoStatus::Closed:  // a partly received request dies with the connection
        case IoStatus::Failed:
            break;
    }
    destroy();
    return false;
}

void Connection::respond() {
    HttpRequest& request = _parser.request();
    HttpResponse response;
    bool failed = false;
    try {
        _context.handler(request, response);
    } catch (const std::exception& e) {
        failed = true;
        log("http: handler failed on " + request.method + " " + std::string(request.path()) + ": " + e.what());
    } catch (...) {
        failed = true;
        log("http: handler failed on " + request.method + " " + std::string(request.path()) +
            ": unknown exception");
    }
    const bool close = !_parser.keepAlive() || request.bodyTooLarge || response.closeConnection ||
                       handlerAsksToClose(response) || _context.stopping.load(std::memory_order_relaxed);
    ResponseFraming framing;
    framing.headRequest = request.method == "HEAD";
    framing.close = close;
    framing.http10KeepAlive = !close && request.versionMinor == 0;
    if (!failed && !appendResponse(_output, response, framing)) {
        failed = true;
        log("http: handler answered " + request.method + " " + std::string(request.path()) + " with status " +
            std::to_string(response.status) + " or a header that cannot be sent");
    }
    if (failed) appendErrorResponse(_output, 500, "ERR_CODE_INTERNAL", "internal server error", framing);
    if (close) {
        _closeAfterWrite = true;
        _lingerOnClose = request.bodyTooLarge;  // the body is (partly) still on its way
    }
    _parser.reset();
    if (_inputSize > 0) _requestStartMillis = monotonicMillis();  // a pipelined request has begun
}

void Connection::answerProtocolError() {
    ResponseFraming framing;
    framing.close = true;
    appendErrorResponse(_output, _parser.errorStatus(), "ERR_CODE_BAD_REQUEST", _parser.errorTitle(), framing);
    _closeAfterWrite = true;
    _lingerOnClose = true;  // the rest of the bad request may still be arriving
}

IoStatus Connection::flush() {
    while (_outputSent < _output.size()) {
        IoResult result = _transport->write(_output.data() + _outputSent, _output.size() - _outputSent);
        if (result.status != IoStatus::Done) return result.status;
        _outputSent += result.bytes;
    }
    if (_output.capacity() > kKeptOutputCapacity) {
        std::string().swap(_output);
    } else {
        _output.clear();
    }
    _outputSent = 0;
    return IoStatus::Done;
}

void Connection::finishAfterLastResponse(ReadBuffer& buffer) {
    if (!_lingerOnClose) return destroy();
    _transport->shutdownWrite();
    _lingering = true;
    _lingerDeadlineMillis = monotonicMillis() + kLingerMillis;
    _lingerBudget = kLingerBytes;
    discardUntilClosed(buffer);
}

void Connection::discardUntilClosed(ReadBuffer& buffer) {
    _inputSize = 0;
    _pending.clear();
    _inputInPending = false;
    for (;;) {
        IoResult result = _transport->read(buffer.data.get(), ReadBuffer::kSize);
        if (result.status == IoStatus::WantRead) return wait(Phase::WaitingRead, EPOLLIN);
        // The client closed (it has our answer), failed, or keeps sending too much.
        if (result.status != IoStatus::Done || result.bytes >= _lingerBudget) return destroy();
        _lingerBudget -= result.bytes;
    }
}

void Connection::wait(Phase phase, uint32_t events, bool firstTime) {
    keepUnparsedInput();
    const int64_t now = monotonicMillis();
    const int64_t readTimeout = _context.options.readTimeout.count();
    int64_t deadline;
    if (_lingering) {
        deadline = _lingerDeadlineMillis;
    } else if (phase == Phase::WaitingWrite) {
        deadline = now + readTimeout;
    } else if (!_handshakeDone || _parser.started()) {
        deadline = _requestStartMillis + readTimeout;  // not extended by each trickle of bytes
    } else {
        deadline = now + _context.options.keepAliveTimeout.count();
    }
    // Everything the arming needs is copied out first: once the wait is
    // published below, another worker may own (and delete) this connection
    // as soon as epoll_ctl has armed it, so only locals are used after that.
    ConnectionContext& context = _context;
    const int fd = _transport->fd();
    const uint32_t mask = events | EPOLLONESHOT | EPOLLRDHUP;
    const uint64_t word = packWait(phase, deadline);
    // Sequentially consistent with stop(), which sets `stopping` and then
    // expires waiting connections: either it sees this wait, or we see the flag.
    _wait.store(word);
    if (phase == Phase::WaitingRead && context.stopping.load()) {
        uint64_t expected = word;
        if (_wait.compare_exchange_strong(expected, packWait(Phase::Busy, 0))) return destroy();
        // stop() expired us meanwhile and shut the socket down: arming delivers that.
    }
    const bool armed = firstTime ? context.poller.add(fd, mask, this) : context.poller.rearm(fd, mask, this);
    if (!armed) {
        // Not armed, so no other worker can have it: it is still ours to close.
        log(std::string("http: epoll_ctl failed: ") + std::strerror(errno));
        destroy();
    }
}

void Connection::keepUnparsedInput() {
    if (_inputSize == 0) {
        _pending.clear();
    } else if (_inputInPending) {
        _pending.erase(0, static_cast<size_t>(_input - _pending.data()));
    } else {
        _pending.assign(_input, _inputSize);  // it points into the worker's buffer
    }
    _input = nullptr;
    _inputSize = 0;
    _inputInPending = false;
}

bool Connection::tryExpire(uint64_t seen) {
    if (!_wait.compare_exchange_strong(seen, packWait(Phase::Expired, 0))) return false;
    // Wakes the connection in epoll; the worker that gets the event sees Expired and closes it.
    ::shutdown(_transport->fd(), SHUT_RDWR);
    return true;
}

void Connection::expireIfOverdue(int64_t nowMillis) {
    uint64_t seen = _wait.load();
    Phase phase = phaseOf(seen);
    if ((phase == Phase::WaitingRead || phase == Phase::WaitingWrite) && deadlineOf(seen) <= nowMillis) {
        tryExpire(seen);
    }
}

void Connection::expireIfWaitingForInput() {
    uint64_t seen = _wait.load();
    if (phaseOf(seen) == Phase::WaitingRead) tryExpire(seen);
}

void Connection::interrupt() {
    uint64_t seen = _wait.load();
    Phase phase = phaseOf(seen);
    if ((phase == Phase::WaitingRead || phase == Phase::WaitingWrite) && tryExpire(seen)) return;
    // Owned by a worker (a handler still running): its socket fails from now
    // on, so it cannot block in I/O; the worker closes it afterwards. The fd
    // is still open: closing needs the registry lock our caller holds.
    ::shutdown(_transport->fd(), SHUT_RDWR);
}

void Connection::destroy() {
    _context.registry.remove(this);
    delete this;  // closes the socket (Transport's destructor), which also leaves epoll
}

void Connection::log(const std::string& message) const {
    if (!_context.options.errorLog) return;
    try {
        _context.options.errorLog(message);
    } catch (...) {
        // A failing logger must not take the connection's worker down with it.
    }
}

}  // namespace rportd::http
