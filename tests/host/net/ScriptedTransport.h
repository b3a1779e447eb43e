#pragma once
// A Transport whose every answer is scripted by the test: queues of results
// per call kind (handshake, read, write, shutdownWrite), each Done with bytes,
// WantRead, WantWrite, Closed or Failed. It records what the connection wrote
// and checks the write contract of net/Transport.h: a write retried after
// WantWrite/WantRead must come with the same pointer and at least the same
// bytes.
//
// The connection still registers an fd with epoll, so the transport owns one
// end of a socketpair. That end is made neither readable nor writable (its
// send buffer is filled, nothing is ever written to it), so epoll never
// reports anything by itself: tests deliver readiness by calling
// Connection::onIoEvent on the loop thread, which keeps them deterministic.
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/Transport.h"

namespace rportd::net::test {

// One scripted answer.
struct Step {
    IoStatus status = IoStatus::Done;
    size_t limit = 0;   // write: accept at most this many bytes (0: all offered)
    std::string data;   // read: the bytes returned (more than the buffer holds: the rest stays queued)
    size_t fill = 0;    // read: this many 'x' bytes instead of data
};

inline Step done(size_t limit = 0) { return Step{IoStatus::Done, limit, {}, 0}; }
inline Step bytes(std::string data) { return Step{IoStatus::Done, 0, std::move(data), 0}; }
inline Step filler(size_t count) { return Step{IoStatus::Done, 0, {}, count}; }
inline Step wantRead() { return Step{IoStatus::WantRead, 0, {}, 0}; }
inline Step wantWrite() { return Step{IoStatus::WantWrite, 0, {}, 0}; }
inline Step closed() { return Step{IoStatus::Closed, 0, {}, 0}; }
inline Step failed() { return Step{IoStatus::Failed, 0, {}, 0}; }

// Shared by the test and the transport, so it outlives the connection. The
// transport is used on the loop thread; tests read it through the loop too
// (or after it stopped), the mutex only makes stray reads harmless.
struct Script {
    mutable std::mutex mutex;

    std::deque<Step> handshakes, reads, writes, shutdowns;
    // What an empty queue answers.
    Step handshakeDefault = done();
    Step readDefault = wantRead();
    Step writeDefault = done();
    Step shutdownDefault = done();
    bool shortReadMeansDrained = true;
    std::string handshakeOnlyExchange;  // what handshakeOnlyExchange() reports

    // Records.
    int handshakeCalls = 0, readCalls = 0, writeCalls = 0, shutdownCalls = 0;
    std::string written;               // every byte a Done write accepted, in order
    std::vector<size_t> offered;       // the size offered to each write call
    std::vector<size_t> accepted;      // bytes accepted by each Done write
    std::vector<std::string> violations;  // broken write contracts, described
    bool destroyed = false;

    // A write answered WantWrite/WantRead waits to be retried.
    const char* pendingData = nullptr;
    size_t pendingSize = 0;
    std::string pendingCopy;

    void add(std::deque<Step>& queue, std::initializer_list<Step> steps) {
        std::lock_guard<std::mutex> lock(mutex);
        for (const Step& s : steps) queue.push_back(s);
    }
    size_t left(const std::deque<Step>& queue) const {
        std::lock_guard<std::mutex> lock(mutex);
        return queue.size();
    }
};

class ScriptedTransport final : public Transport {
public:
    explicit ScriptedTransport(std::shared_ptr<Script> script);
    ~ScriptedTransport() override;

    int fd() const override { return _fds[0]; }
    IoResult handshake() override;
    IoResult read(char* buffer, size_t capacity) override;
    IoResult write(const char* data, size_t size) override;
    bool shortReadMeansDrained() const override;
    std::string handshakeOnlyExchange() const override;
    IoResult shutdownWrite() override;

private:
    static Step next(std::deque<Step>& queue, const Step& fallback);

    std::shared_ptr<Script> _script;
    int _fds[2] = {-1, -1};
};

}  // namespace rportd::net::test
