#pragma once
// One accepted connection on one event loop: the transport (plain or TLS)
// under it, the session (protocol) on top, the output queue between them, a
// deadline, and the close sequence. All of it runs on the loop's thread; other
// threads reach a connection through ConnectionRef (net/ConnectionSet.h).
//
// Registration is edge-triggered for reading and writing at once, so state
// changes never cost an epoll_ctl: the connection remembers whether the
// socket may still have input or room for output and only waits when the
// transport said WantRead/WantWrite.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/EventLoop.h"
#include "net/Session.h"
#include "net/Transport.h"

namespace rportd::net {

class ConnectionSet;

struct Peer {
    std::string address;  // "127.0.0.1", "::1"
    uint16_t port = 0;
};

// How much a connection buffers before it pushes back.
struct FlowLimits {
    // Output above this stops reading from the peer (a slow reader cannot make
    // us queue without bound); reading resumes below lowWater.
    size_t highWater = 256 * 1024;
    size_t lowWater = 64 * 1024;
    // Input a session left unused (it waits for more) beyond this drops the peer.
    size_t maxUnusedInput = 64 * 1024;
    // Bounds the close sequence: flushing the last output and lingering.
    int64_t closeTimeoutMillis = 5000;
};

class Connection final : public IoHandler {
public:
    enum class CloseMode {
        Graceful,  // flush the output, end our direction, close
        Linger,    // the same, then read and discard for a while so the peer gets our
                   // answer before a reset caused by bytes we did not read
    };

    Connection(EventLoop& loop, ConnectionSet& set, uint64_t id,
               std::unique_ptr<Transport> transport, Peer peer, const FlowLimits& limits);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Registers the socket and starts the handshake. The connection may be
    // gone when this returns.
    void start(std::unique_ptr<Session> session);

    // ---- for the session (loop thread) ----
    void send(std::string_view bytes);
    void send(std::string&& bytes);
    size_t queuedBytes() const { return _queued; }

    // Stops handing input to the session (it is busy, e.g. waiting for a
    // blocking call); resumeInput offers what arrived meanwhile.
    void pauseInput();
    void resumeInput();
    bool inputPaused() const { return _inputPaused; }

    // Absolute time on the loop's clock (EventLoop::now()); 0 clears it.
    void setDeadline(int64_t atMillis);

    // A peer that accepts none of our output for this long is dropped
    // (0: never); measured from the first write that found the socket full.
    void setWriteStallTimeout(int64_t millis) { _writeStallMillis = millis; }

    void close(CloseMode mode = CloseMode::Graceful);
    void abort();  // at once, queued output dropped
    bool closing() const { return _state != State::Open && _state != State::Handshaking; }

    // Hands the connection to another protocol (a WebSocket after a 101). The
    // input the old session left unused is offered to the new one at once;
    // the old one is destroyed after its current call returns.
    void replaceSession(std::unique_ptr<Session> session);

    // Runs f as if it were an I/O event: sending, closing and destruction
    // inside it are safe. For posted work and the blocking pool's answers.
    template <typename F>
    void runGuarded(F&& f) {
        Guard guard(*this);
        f(*this);
    }

    EventLoop& loop() { return _loop; }
    ConnectionSet* setForRef() { return &_set; }
    uint64_t id() const { return _id; }
    const Peer& peer() const { return _peer; }
    Transport& transport() { return *_transport; }
    Session* session() { return _session.get(); }

    void onIoEvent(uint32_t events) override;

private:
    enum class State { Handshaking, Open, Flushing, ShuttingDown, Lingering, Dead };

    // Keeps the connection alive while callbacks run; the outermost guard
    // performs the deferred destruction and the pending I/O work.
    struct Guard {
        explicit Guard(Connection& c) : connection(c) { ++c._depth; }
        ~Guard();
        Connection& connection;
    };

    void drive();
    bool handshake();
    bool readAndDeliver();
    void deliver(const char* data, size_t size);
    bool flush();
    void continueClose();
    void discardInput();
    void onDeadlineTimer();
    void armTimer();
    void die();
    void destroyNow();
    void dropQueuedOutput();

    EventLoop& _loop;
    ConnectionSet& _set;
    const uint64_t _id;
    std::unique_ptr<Transport> _transport;
    std::unique_ptr<Session> _session;
    std::unique_ptr<Session> _retiredSession;
    Peer _peer;
    const FlowLimits& _limits;

    State _state = State::Handshaking;
    CloseMode _closeMode = CloseMode::Graceful;
    int _depth = 0;
    bool _registered = false;

    // Readiness as last learned: true until a call reported WantRead/WantWrite.
    bool _mayRead = true;
    bool _mayWrite = true;
    // TLS can need the other direction's readiness to make progress.
    bool _readNeedsWritable = false;
    bool _writeNeedsReadable = false;
    // What the handshake and shutdownWrite last asked to wait for. A retry on
    // the other readiness would only repeat the same WantX answer (and, for
    // a transport that counts its calls, be out of order).
    bool _handshakeNeedsWritable = false;
    bool _shutdownNeedsReadable = false;

    bool _peerHungUp = false;  // epoll reported the peer's FIN (or an error)
    bool _inputPaused = false;
    bool _offerUnused = false;   // _unusedInput must be offered before the next read
    bool _backPressure = false;  // output above the high-water mark
    bool _peerClosed = false;
    std::string _unusedInput;  // what the session left, offered again next time

    // The output queue. The chunk being written lives in _front, a member of
    // this (never moving) object: a write retried after WantWrite must see the
    // same pointer (TLS), and a std::string inside a growing vector moves, its
    // bytes too when they are short enough for the inline buffer. _output holds
    // the chunks not started yet; sends coalesce into its last one.
    std::string _front;
    size_t _frontOffset = 0;  // bytes of _front already written
    std::vector<std::string> _output;
    size_t _outputHead = 0;  // index of the next chunk to move into _front
    size_t _queued = 0;

    int64_t _deadline = 0;  // what the session asked for
    int64_t _writeStallMillis = 0;
    int64_t _stallDeadline = 0;  // set while output waits for a socket that does not drain
    int64_t _closeDeadline = 0;  // bounds the close sequence
    int64_t _timerAt = 0;        // when the armed timer fires (0 = none)
    EventLoop::TimerId _timer = 0;
    size_t _lingerBudget = 0;
};

}  // namespace rportd::net
