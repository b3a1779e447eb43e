#pragma once
// One event loop: an epoll instance, the thread that runs it, its timers and
// a queue of work other threads post to it. Everything registered with a
// loop (connections, listeners) is touched only by that loop's thread; other
// threads reach it through post(). That rule is what keeps connections free of
// locks: a connection never needs to know who else might be looking at it.
#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rportd::net {

// What an epoll event is delivered to.
class IoHandler {
public:
    virtual void onIoEvent(uint32_t events) = 0;

protected:
    ~IoHandler() = default;
};

class EventLoop {
public:
    using TimerId = uint64_t;
    using Task = std::function<void()>;

    EventLoop();  // throws std::runtime_error when epoll or eventfd cannot be created
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Runs until stop(); the calling thread becomes the loop's thread.
    void run();
    // Thread-safe. run() returns after the current iteration; posted work
    // that has not run yet is dropped (its captures are destroyed on the
    // thread that destroys the loop).
    void stop();
    bool inLoopThread() const {
        return std::this_thread::get_id() == _threadId.load(std::memory_order_relaxed);
    }

    // Thread-safe: runs `task` on the loop's thread, in posting order.
    void post(Task task);

    // Loop thread only. Edge-triggered registration: the handler must consume
    // until EAGAIN (or remember that it did not).
    bool watch(int fd, uint32_t events, IoHandler* handler);
    bool modify(int fd, uint32_t events, IoHandler* handler);
    void unwatch(int fd);

    // Loop thread only. A timer fires once on the loop's thread; cancelling a
    // timer that already fired or was cancelled does nothing.
    TimerId runAfter(std::chrono::milliseconds delay, Task task);
    TimerId runAt(int64_t whenMillis, Task task);
    void cancel(TimerId id);

    // Monotonic milliseconds, refreshed once per loop iteration (cheap).
    int64_t now() const { return _now; }
    size_t pendingTimers() const { return _timerTasks.size(); }

    // The loop whose thread is calling, or null.
    static EventLoop* current();

    // A per-loop scratch buffer for reads, shared by all its connections, so
    // that an idle connection owns no read buffer at all.
    static constexpr size_t kReadBufferSize = 16384;
    char* readBuffer() { return _readBuffer.get(); }

private:
    struct TimerEntry {
        int64_t when;
        TimerId id;
        bool operator>(const TimerEntry& other) const {
            return when != other.when ? when > other.when : id > other.id;
        }
    };

    int nextTimeoutMillis() const;
    void runDueTimers();
    void runPosted();
    void refreshNow();

    int _epoll = -1;
    int _wakeFd = -1;
    std::atomic<bool> _stopping{false};
    std::atomic<std::thread::id> _threadId{};
    int64_t _now = 0;

    std::mutex _postMutex;
    std::vector<Task> _posted;
    bool _wakePending = false;  // an eventfd write is outstanding (under _postMutex)

    std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<TimerEntry>> _timers;
    std::unordered_map<TimerId, Task> _timerTasks;
    TimerId _nextTimerId = 1;

    std::unique_ptr<char[]> _readBuffer{new char[kReadBufferSize]};
};

}  // namespace rportd::net
