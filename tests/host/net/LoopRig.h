#pragma once
// An event loop on its own thread with a ConnectionSet, for driving
// connections over ScriptedTransport step by step: every step runs on the
// loop thread through call() and the test waits for it, so the test thread
// and the loop never race. Plus a session whose every callback is recorded
// and may be overridden, and a poll helper (no fixed sleeps).
#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "ScriptedTransport.h"
#include "net/Connection.h"
#include "net/ConnectionSet.h"
#include "net/EventLoop.h"

namespace rportd::net::test {

// Polls `condition` until it holds or `timeoutMs` passes; returns its last value.
template <typename F>
bool eventually(F condition, int timeoutMs = 5000) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// What a RecordingSession saw. Touched on the loop thread only (read it through LoopRig::call).
struct Record {
    std::vector<std::string> events;  // "open", "input:<bytes>", "peerClosed", "drained", "deadline", "closed", "dtor"
    std::vector<std::string> inputs;  // the bytes of each onInput call
    int closed = 0;
    int deadlines = 0;
    int64_t deadlineAt = 0;  // loop time of the last onDeadline
};

class RecordingSession : public Session {
public:
    explicit RecordingSession(std::shared_ptr<Record> record, std::string name = "")
        : _record(std::move(record)), _name(std::move(name)) {}
    ~RecordingSession() override { note("dtor"); }

    std::function<void(Connection&)> whenOpen, whenPeerClosed, whenDrained, whenDeadline, whenClosed;
    // Returns how many bytes it uses; default: all of them.
    std::function<size_t(Connection&, std::string_view)> whenInput;

    void onOpen(Connection& c) override {
        note("open");
        if (whenOpen) whenOpen(c);
    }
    size_t onInput(Connection& c, const char* data, size_t size) override {
        std::string_view bytes(data, size);
        _record->inputs.emplace_back(bytes);
        note("input:" + std::string(bytes.substr(0, 64)));
        size_t used = whenInput ? whenInput(c, bytes) : size;
        note("inputEnd");
        return used;
    }
    void onPeerClosed(Connection& c) override {
        note("peerClosed");
        whenPeerClosed ? whenPeerClosed(c) : Session::onPeerClosed(c);
    }
    void onOutputDrained(Connection& c) override {
        note("drained");
        if (whenDrained) whenDrained(c);
    }
    void onDeadline(Connection& c) override {
        note("deadline");
        ++_record->deadlines;
        _record->deadlineAt = c.loop().now();
        whenDeadline ? whenDeadline(c) : Session::onDeadline(c);
    }
    void onClosed(Connection& c) override {
        note("closed");
        ++_record->closed;
        if (whenClosed) whenClosed(c);
    }

private:
    void note(const std::string& what) { _record->events.push_back(_name.empty() ? what : _name + "." + what); }
    std::shared_ptr<Record> _record;
    std::string _name;
};

class LoopRig {
public:
    LoopRig() { _thread = std::thread([this] { loop.run(); }); }
    ~LoopRig() {
        loop.stop();
        _thread.join();
        // `set` (declared after `loop`) is destroyed first, on this thread,
        // with the loop stopped: what is still open is deleted there.
    }

    // Runs f on the loop thread and returns its result (or rethrows).
    template <typename F>
    auto call(F f) -> decltype(f()) {
        using R = decltype(f());
        auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
        std::future<R> result = task->get_future();
        loop.post([task] { (*task)(); });
        if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
            // The loop is stuck: nothing sensible can follow (the task refers to our stack).
            std::fprintf(stderr, "LoopRig::call: the loop did not answer within 10 s\n");
            std::abort();
        }
        return result.get();
    }

    // A connection over a scripted transport, started with `session`.
    uint64_t open(const std::shared_ptr<Script>& script, std::unique_ptr<Session> session) {
        return call([&] {
            Connection* c = set.create(std::make_unique<ScriptedTransport>(script), Peer{"127.0.0.1", 4242}, limits);
            const uint64_t id = c->id();
            c->start(std::move(session));
            return id;
        });
    }

    bool alive(uint64_t id) {
        return call([&] { return set.find(id) != nullptr; });
    }

    // Readiness as epoll would report it.
    void event(uint64_t id, uint32_t events) {
        call([&] {
            if (Connection* c = set.find(id)) c->onIoEvent(events);
        });
    }

    // Runs f on the connection as posted work would (ConnectionRef::post).
    void guarded(uint64_t id, std::function<void(Connection&)> f) {
        call([&] {
            Connection* c = set.find(id);
            if (!c) throw std::runtime_error("connection is gone");
            c->runGuarded(f);
        });
    }

    template <typename R, typename F>
    R read(F f) {
        return call([&]() -> R { return f(); });
    }

    EventLoop loop;
    std::atomic<size_t> openCount{0};
    FlowLimits limits;
    ConnectionSet set{loop, openCount};

private:
    std::thread _thread;
};

}  // namespace rportd::net::test
