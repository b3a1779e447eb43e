#include "ScriptedTransport.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace rportd::net::test {

ScriptedTransport::ScriptedTransport(std::shared_ptr<Script> script) : _script(std::move(script)) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, _fds) != 0)
        throw std::runtime_error("socketpair failed");
    // Fill our end's send buffer so that epoll never finds it writable (and
    // nothing is written to the other end, so never readable): readiness
    // comes only from the test.
    int small = 4096;
    ::setsockopt(_fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    char block[4096] = {};
    while (::send(_fds[0], block, sizeof block, MSG_NOSIGNAL) > 0) {
    }
}

ScriptedTransport::~ScriptedTransport() {
    ::close(_fds[0]);
    ::close(_fds[1]);
    std::lock_guard<std::mutex> lock(_script->mutex);
    _script->destroyed = true;
}

Step ScriptedTransport::next(std::deque<Step>& queue, const Step& fallback) {
    if (queue.empty()) return fallback;
    Step step = std::move(queue.front());
    queue.pop_front();
    return step;
}

IoResult ScriptedTransport::handshake() {
    std::lock_guard<std::mutex> lock(_script->mutex);
    ++_script->handshakeCalls;
    Step step = next(_script->handshakes, _script->handshakeDefault);
    return {step.status, 0};
}

std::string ScriptedTransport::handshakeOnlyExchange() const {
    std::lock_guard<std::mutex> lock(_script->mutex);
    return _script->handshakeOnlyExchange;
}

IoResult ScriptedTransport::read(char* buffer, size_t capacity) {
    std::lock_guard<std::mutex> lock(_script->mutex);
    ++_script->readCalls;
    Step step = next(_script->reads, _script->readDefault);
    if (step.status != IoStatus::Done) return {step.status, 0};
    size_t n;
    if (step.fill) {
        n = std::min(step.fill, capacity);
        std::memset(buffer, 'x', n);
        if (step.fill > n) _script->reads.push_front(filler(step.fill - n));
    } else {
        n = std::min(step.data.size(), capacity);
        std::memcpy(buffer, step.data.data(), n);
        if (step.data.size() > n) _script->reads.push_front(bytes(step.data.substr(n)));
    }
    return {IoStatus::Done, n};
}

IoResult ScriptedTransport::write(const char* data, size_t size) {
    std::lock_guard<std::mutex> lock(_script->mutex);
    Script& s = *_script;
    ++s.writeCalls;
    s.offered.push_back(size);
    if (s.pendingData) {
        // The contract of Transport::write: same buffer, at least the same bytes.
        if (data != s.pendingData)
            s.violations.push_back("write " + std::to_string(s.writeCalls) + ": retried with another pointer");
        if (size < s.pendingSize)
            s.violations.push_back("write " + std::to_string(s.writeCalls) + ": retried with " + std::to_string(size) +
                                   " bytes, " + std::to_string(s.pendingSize) + " before");
        else if (std::memcmp(data, s.pendingCopy.data(), s.pendingSize) != 0)
            s.violations.push_back("write " + std::to_string(s.writeCalls) + ": retried with other bytes");
        s.pendingData = nullptr;
    }
    if (size == 0) s.violations.push_back("write " + std::to_string(s.writeCalls) + ": zero bytes offered");
    Step step = next(s.writes, s.writeDefault);
    if (step.status == IoStatus::WantWrite || step.status == IoStatus::WantRead) {
        s.pendingData = data;
        s.pendingSize = size;
        s.pendingCopy.assign(data, size);
        return {step.status, 0};
    }
    if (step.status != IoStatus::Done) return {step.status, 0};
    const size_t n = step.limit ? std::min(step.limit, size) : size;
    s.written.append(data, n);
    s.accepted.push_back(n);
    return {IoStatus::Done, n};
}

bool ScriptedTransport::shortReadMeansDrained() const {
    std::lock_guard<std::mutex> lock(_script->mutex);
    return _script->shortReadMeansDrained;
}

IoResult ScriptedTransport::shutdownWrite() {
    std::lock_guard<std::mutex> lock(_script->mutex);
    ++_script->shutdownCalls;
    Step step = next(_script->shutdowns, _script->shutdownDefault);
    return {step.status, 0};
}

}  // namespace rportd::net::test
