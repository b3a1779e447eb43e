#pragma once
// One client connection: reads, parses, runs the handler, writes, and waits
// in epoll again. Exactly one thread works on it at a time: the worker that
// received its EPOLLONESHOT event owns it until it re-arms it or closes it.
// Other threads (the timeout sweep, stop()) only ever flip its atomic wait
// state from "waiting" to "expired" and shutdown() its socket, which makes
// epoll hand it to a worker that closes it.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/ConnectionContext.h"
#include "http/Poller.h"
#include "http/RequestParser.h"
#include "net/Transport.h"

namespace rportd::http {

using net::IoResult;
using net::IoStatus;
using net::Transport;

// A worker's read buffer. Requests are parsed straight out of it; only bytes
// that must outlive the event (pipelined input behind a blocked write) are
// copied into the connection, so idle connections hold no buffer.
struct ReadBuffer {
    static constexpr size_t kSize = 16384;
    std::unique_ptr<char[]> data{new char[kSize]};
};

class Connection final : public PollTarget {
public:
    Connection(ConnectionContext& context, std::unique_ptr<Transport> transport, std::string peerAddress,
               uint16_t peerPort);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Registers the new connection in epoll. The connection may be gone when this returns.
    void start();
    // The owning worker's entry point for an epoll event. The connection may
    // be gone (deleted) when this returns.
    void onEvent(ReadBuffer& buffer);

    // Called by other threads with the registry lock held; see the class comment.
    void expireIfOverdue(int64_t nowMillis);
    void expireIfWaitingForInput();
    void interrupt();

private:
    enum class Phase : uint64_t { Busy = 0, WaitingRead = 1, WaitingWrite = 2, Expired = 3 };

    // Phase and deadline share one atomic word, so a sweep that checks the
    // deadline and marks the connection expired does so in one compare-exchange
    // against exactly the wait it inspected.
    static uint64_t packWait(Phase phase, int64_t deadlineMillis) {
        return (static_cast<uint64_t>(deadlineMillis) << 2) | static_cast<uint64_t>(phase);
    }
    static Phase phaseOf(uint64_t word) { return static_cast<Phase>(word & 3); }
    static int64_t deadlineOf(uint64_t word) { return static_cast<int64_t>(word >> 2); }
    bool tryExpire(uint64_t seen);

    void serve(ReadBuffer& buffer);
    bool readInput(ReadBuffer& buffer);
    void respond();
    void answerProtocolError();
    IoStatus flush();
    void finishAfterLastResponse(ReadBuffer& buffer);
    void discardUntilClosed(ReadBuffer& buffer);
    // Waits in epoll for `events`. With `firstTime` the fd is added, otherwise re-armed.
    void wait(Phase phase, uint32_t events, bool firstTime = false);
    void keepUnparsedInput();
    void destroy();
    void log(const std::string& message) const;

    ConnectionContext& _context;
    std::unique_ptr<Transport> _transport;
    RequestParser _parser;
    std::atomic<uint64_t> _wait{packWait(Phase::Busy, 0)};

    // Unparsed input: a view into the worker's ReadBuffer during an event, or
    // into _pending, which keeps it between events.
    const char* _input = nullptr;
    size_t _inputSize = 0;
    std::string _pending;

    std::string _output;
    size_t _outputSent = 0;

    int64_t _requestStartMillis = 0;  // first byte of the current request (or accept time)
    int64_t _lingerDeadlineMillis = 0;
    size_t _lingerBudget = 0;
    bool _handshakeDone = false;
    bool _mayHaveInput = true;        // a read could return data (false after a short read)
    bool _closeAfterWrite = false;
    bool _lingerOnClose = false;      // the client may still be sending a request we did not read
    bool _lingering = false;
    bool _inputInPending = false;     // _input points into _pending
};

}  // namespace rportd::http
